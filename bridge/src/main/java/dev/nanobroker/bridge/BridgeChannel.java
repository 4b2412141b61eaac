package dev.nanobroker.bridge;

import io.aeron.Aeron;
import io.aeron.ChannelUri;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.exceptions.AeronException;

import java.util.List;

/**
 * Where a bridge sends or receives: an Aeron channel URI, and for a sender to several unicast
 * receivers the destinations of a manual multi-destination-cast publication (Aeron's MDC: one
 * publication, each datagram sent to every destination). Made from the flags ({@link #sendTo},
 * {@link #receiveOn}) or from a URI the user wrote ({@link #of}).
 *
 * @param description what status lines and errors call it: the endpoints, or the URI
 */
public record BridgeChannel(String uri, List<String> destinations, String description) {

    public BridgeChannel {
        destinations = List.copyOf(destinations);
    }

    /**
     * How a publication to several receivers (a multicast group, MDC destinations) paces itself: at the
     * slowest receiver's rate ({@code min}), not Aeron's default, the fastest's ({@code max}). Under
     * {@code max} a receiver that falls a term buffer behind (a slower host, a pause) finds the data it
     * must ask again for overwritten: its stream stops at that gap for good, and it receives nothing
     * more. Under {@code min} every receiver gets every frame the sender sends, and the sender, which
     * keeps only the newest frame while it is held back, skips for all (counted). A receiver silent for
     * {@code t} (gone, or stopped) no longer holds the others back.
     */
    static final String SEVERAL_RECEIVERS_FLOW_CONTROL = "fc=min,t:2s";

    /** The datagram sizes Aeron takes: a multiple of its 32-byte frame alignment, up to a UDP datagram's 64 KiB. */
    static final int MIN_MTU = 1024;
    static final int MAX_MTU = 65504;

    /** {@link #sendTo(List, int)} at Aeron's default datagram size (1408 bytes, for a 1500-byte network MTU). */
    public static BridgeChannel sendTo(List<Endpoint> endpoints) {
        return sendTo(endpoints, 0);
    }

    /**
     * {@code send --to}: one unicast address is the publication's endpoint, one multicast group too
     * (paced by its slowest receiver); several unicast addresses become MDC destinations (the same).
     *
     * @param mtu the datagrams' size in bytes ({@code --mtu}, for a network with jumbo frames); 0: Aeron's default
     */
    public static BridgeChannel sendTo(List<Endpoint> endpoints, int mtu) {
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("name at least one --to HOST:PORT");
        }
        if (mtu != 0 && (mtu < MIN_MTU || mtu > MAX_MTU || mtu % 32 != 0)) {
            throw new IllegalArgumentException("--mtu " + mtu + " is not a datagram size Aeron takes: a multiple of 32 from "
                    + MIN_MTU + " to " + MAX_MTU + " (8192 for a network of 9000-byte jumbo frames)");
        }
        String mtuParameter = mtu == 0 ? "" : "|mtu=" + mtu;
        String description = String.join(", ", endpoints.stream().map(Endpoint::toString).toList());
        if (endpoints.size() == 1) {
            Endpoint endpoint = endpoints.getFirst();
            String uri = endpointUri(endpoint) + mtuParameter + (endpoint.isMulticast() ? "|" + SEVERAL_RECEIVERS_FLOW_CONTROL : "");
            return new BridgeChannel(uri, List.of(), description);
        }
        if (endpoints.stream().anyMatch(Endpoint::isMulticast)) {
            throw new IllegalArgumentException("a multicast group reaches every receiver by itself: give it as the only --to");
        }
        return new BridgeChannel("aeron:udp?control-mode=manual" + mtuParameter + "|" + SEVERAL_RECEIVERS_FLOW_CONTROL,
                endpoints.stream().map(BridgeChannel::endpointUri).toList(), description);
    }

    /** {@code receive --from}: the address and port this receiver listens on, or the multicast group it joins. */
    public static BridgeChannel receiveOn(Endpoint endpoint) {
        return new BridgeChannel(endpointUri(endpoint), List.of(), endpoint.toString());
    }

    /** {@code --channel}: an Aeron URI as the user wrote it. */
    public static BridgeChannel of(String uri) {
        try {
            ChannelUri.parse(uri);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("'" + uri + "' is not an Aeron channel URI (aeron:udp?endpoint=HOST:PORT): " + e.getMessage());
        }
        return new BridgeChannel(uri, List.of(), uri);
    }

    private static String endpointUri(Endpoint endpoint) {
        return "aeron:udp?endpoint=" + endpoint;
    }

    /**
     * Adds the publication (and its destinations) to the driver: a concurrent one, since the sender's
     * frames and its answers to clock probes go out on it from two threads.
     */
    public Publication publish(Aeron aeron, int streamId) {
        try {
            Publication publication = aeron.addPublication(uri, streamId);
            for (String destination : destinations) {
                publication.addDestination(destination);
            }
            return publication;
        } catch (AeronException | IllegalArgumentException | IllegalStateException e) {
            throw new BridgeException("cannot send to " + description + ": " + reason(e), e);
        }
    }

    /** Adds the subscription to the driver: binds the port now, so a port in use fails here. */
    public Subscription subscribe(Aeron aeron, int streamId) {
        try {
            return aeron.addSubscription(uri, streamId);
        } catch (AeronException | IllegalArgumentException | IllegalStateException e) {
            throw new BridgeException("cannot receive on " + description + ": " + reason(e), e);
        }
    }

    /** The driver's answer, in the words a user can act on where we know them. */
    private static String reason(RuntimeException e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("Address already in use")) {
            return "the UDP port is in use (another bridge receive on it?)";
        }
        if (message.contains("Cannot assign requested address")) {
            return "that address is not one of this machine's (listen on one of its addresses, or 0.0.0.0)";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
