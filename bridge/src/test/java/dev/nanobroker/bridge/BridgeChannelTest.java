package dev.nanobroker.bridge;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The flags' addresses, and the Aeron channels made of them. */
class BridgeChannelTest {

    @Test
    void endpointsParseAsHostAndPort() {
        assertEquals(new Endpoint("127.0.0.1", 40456), Endpoint.parse("127.0.0.1:40456"));
        assertEquals(new Endpoint("capture-box", 1), Endpoint.parse("capture-box:1"));
        assertEquals(new Endpoint("[::1]", 65535), Endpoint.parse("[::1]:65535"));
        assertEquals("[::1]:65535", Endpoint.parse("[::1]:65535").toString());
    }

    @Test
    void badEndpointsSayWhatIsExpected() {
        for (String bad : List.of("127.0.0.1", ":40456", "host:port", "::1:40456", "a:b:1")) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> Endpoint.parse(bad));
            assertTrue(refused.getMessage().contains("is not HOST:PORT"), refused.getMessage());
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Endpoint.parse("h:70000")).getMessage().contains("1..65535"));
        assertThrows(IllegalArgumentException.class, () -> Endpoint.parse("h:0"));
    }

    @Test
    void multicastGroupsAreToldApart() {
        assertTrue(Endpoint.parse("239.1.2.3:40456").isMulticast());
        assertFalse(Endpoint.parse("127.0.0.1:40456").isMulticast());
    }

    @Test
    void oneReceiverIsTheEndpointSeveralAreDestinations() {
        BridgeChannel one = BridgeChannel.sendTo(List.of(Endpoint.parse("127.0.0.1:40456")));
        assertEquals("aeron:udp?endpoint=127.0.0.1:40456", one.uri());
        assertEquals(List.of(), one.destinations());

        BridgeChannel two = BridgeChannel.sendTo(List.of(Endpoint.parse("127.0.0.1:40456"), Endpoint.parse("127.0.0.1:40457")));
        assertEquals("aeron:udp?control-mode=manual|fc=min,t:2s", two.uri(), "paced by the slowest receiver");
        assertEquals(List.of("aeron:udp?endpoint=127.0.0.1:40456", "aeron:udp?endpoint=127.0.0.1:40457"), two.destinations());
        assertEquals("127.0.0.1:40456, 127.0.0.1:40457", two.description());

        assertEquals("aeron:udp?endpoint=239.1.2.3:40456|fc=min,t:2s", BridgeChannel.sendTo(List.of(Endpoint.parse("239.1.2.3:40456"))).uri());
        IllegalArgumentException mixed = assertThrows(IllegalArgumentException.class,
                () -> BridgeChannel.sendTo(List.of(Endpoint.parse("239.1.2.3:40456"), Endpoint.parse("127.0.0.1:40457"))));
        assertTrue(mixed.getMessage().contains("multicast"), mixed.getMessage());
    }

    @Test
    void aReceiverListensOnItsEndpointAndAUriIsTakenAsWritten() {
        assertEquals("aeron:udp?endpoint=0.0.0.0:40456", BridgeChannel.receiveOn(Endpoint.parse("0.0.0.0:40456")).uri());
        String uri = "aeron:udp?endpoint=127.0.0.1:40456|mtu=8192";
        assertEquals(uri, BridgeChannel.of(uri).uri());
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> BridgeChannel.of("udp://127.0.0.1:1"));
        assertTrue(refused.getMessage().contains("not an Aeron channel URI"), refused.getMessage());
    }

    @Test
    void aDatagramSizeGoesOnThePublicationAndOnlyOneAeronTakes() {
        assertEquals("aeron:udp?endpoint=127.0.0.1:40456|mtu=8192",
                BridgeChannel.sendTo(List.of(Endpoint.parse("127.0.0.1:40456")), 8192).uri());
        assertEquals("aeron:udp?control-mode=manual|mtu=8192|fc=min,t:2s",
                BridgeChannel.sendTo(List.of(Endpoint.parse("127.0.0.1:40456"), Endpoint.parse("127.0.0.1:40457")), 8192).uri());
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> BridgeChannel.sendTo(List.of(Endpoint.parse("127.0.0.1:40456")), 9000));
        assertEquals("--mtu 9000 is not a datagram size Aeron takes: a multiple of 32 from 1024 to 65504 (8192 for a network"
                + " of 9000-byte jumbo frames)", refused.getMessage());
    }
}
