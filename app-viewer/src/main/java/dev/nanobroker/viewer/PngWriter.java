package dev.nanobroker.viewer;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/** Writes a BGRA-premultiplied frame as an RGBA PNG: what the viewer's S key saves. */
final class PngWriter {

    private PngWriter() {
    }

    static void write(Path file, MemorySegment pixels, int width, int height, int rowStride) throws IOException {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (DeflaterOutputStream deflate = new DeflaterOutputStream(compressed, new Deflater(Deflater.BEST_SPEED))) {
            byte[] row = new byte[1 + width * 4];
            for (int y = 0; y < height; y++) {
                row[0] = 0; // filter: none
                long base = (long) y * rowStride;
                for (int x = 0; x < width; x++) {
                    int b = pixels.get(ValueLayout.JAVA_BYTE, base + x * 4L) & 0xFF;
                    int g = pixels.get(ValueLayout.JAVA_BYTE, base + x * 4L + 1) & 0xFF;
                    int r = pixels.get(ValueLayout.JAVA_BYTE, base + x * 4L + 2) & 0xFF;
                    int a = pixels.get(ValueLayout.JAVA_BYTE, base + x * 4L + 3) & 0xFF;
                    if (a != 0 && a != 255) { // PNG stores straight alpha
                        r = Math.min(255, r * 255 / a);
                        g = Math.min(255, g * 255 / a);
                        b = Math.min(255, b * 255 / a);
                    }
                    row[1 + x * 4] = (byte) r;
                    row[2 + x * 4] = (byte) g;
                    row[3 + x * 4] = (byte) b;
                    row[4 + x * 4] = (byte) a;
                }
                deflate.write(row);
            }
        }
        try (OutputStream file0 = Files.newOutputStream(file); DataOutputStream out = new DataOutputStream(file0)) {
            out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
            ByteArrayOutputStream header = new ByteArrayOutputStream();
            DataOutputStream fields = new DataOutputStream(header);
            fields.writeInt(width);
            fields.writeInt(height);
            fields.writeByte(8); // bits per channel
            fields.writeByte(6); // RGBA
            fields.writeByte(0);
            fields.writeByte(0);
            fields.writeByte(0);
            chunk(out, "IHDR", header.toByteArray());
            chunk(out, "IDAT", compressed.toByteArray());
            chunk(out, "IEND", new byte[0]);
        }
    }

    private static void chunk(DataOutputStream out, String type, byte[] data) throws IOException {
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        out.writeInt(data.length);
        out.write(name);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(data);
        out.writeInt((int) crc.getValue());
    }
}
