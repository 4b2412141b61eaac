package dev.nanobroker.codec;

/**
 * JPEG quality 1 to 100 as libjpeg defines it (and ImageIO, PIL and most tools after it): the example
 * quantisation tables of the JPEG specification (ITU-T T.81 Annex K, tables K.1 and K.2, natural
 * order, row by row) scaled by {@code 5000 / quality} percent below 50 and {@code 200 - 2 quality}
 * percent from 50, each entry rounded and kept within 1 to 255. FFmpeg's mjpeg encoder has no such
 * quality: it takes a matrix and a scale ({@code qscale}), multiplying them; {@link FFmpegEncoder} gives
 * it these tables at the scale that leaves them as they are.
 */
final class JpegTables {

    private static final int[] LUMINANCE = {
            16, 11, 10, 16, 24, 40, 51, 61,
            12, 12, 14, 19, 26, 58, 60, 55,
            14, 13, 16, 24, 40, 57, 69, 56,
            14, 17, 22, 29, 51, 87, 80, 62,
            18, 22, 37, 56, 68, 109, 103, 77,
            24, 35, 55, 64, 81, 104, 113, 92,
            49, 64, 78, 87, 103, 121, 120, 101,
            72, 92, 95, 98, 112, 100, 103, 99};

    private static final int[] CHROMINANCE = {
            17, 18, 24, 47, 99, 99, 99, 99,
            18, 21, 26, 66, 99, 99, 99, 99,
            24, 26, 56, 99, 99, 99, 99, 99,
            47, 66, 99, 99, 99, 99, 99, 99,
            99, 99, 99, 99, 99, 99, 99, 99,
            99, 99, 99, 99, 99, 99, 99, 99,
            99, 99, 99, 99, 99, 99, 99, 99,
            99, 99, 99, 99, 99, 99, 99, 99};

    private JpegTables() {
    }

    static short[] luminance(int quality) {
        return scaled(LUMINANCE, quality);
    }

    static short[] chrominance(int quality) {
        return scaled(CHROMINANCE, quality);
    }

    private static short[] scaled(int[] table, int quality) {
        int percent = quality < 50 ? 5000 / quality : 200 - 2 * quality;
        short[] scaled = new short[table.length];
        for (int i = 0; i < table.length; i++) {
            scaled[i] = (short) Math.clamp((table[i] * percent + 50) / 100, 1, 255);
        }
        return scaled;
    }
}
