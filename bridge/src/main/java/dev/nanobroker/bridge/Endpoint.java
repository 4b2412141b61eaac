package dev.nanobroker.bridge;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A UDP address as the bridge's flags write it: {@code HOST:PORT}, {@code [IPV6]:PORT}. HOST is a
 * name or an address; a multicast group (224.0.0.0/4, ff00::/8) makes a multicast channel.
 */
public record Endpoint(String host, int port) {

    private static final Pattern FORM = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[^:\\[\\]]+):(\\d{1,5})");

    public Endpoint {
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port " + port + " is out of range 1..65535");
        }
    }

    /** @throws IllegalArgumentException with a message for the user when {@code text} is not HOST:PORT */
    public static Endpoint parse(String text) {
        Matcher matcher = FORM.matcher(text);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not HOST:PORT (an IPv6 address in brackets: [::1]:40456)");
        }
        return new Endpoint(matcher.group(1), Integer.parseInt(matcher.group(2)));
    }

    /** Whether HOST is a multicast group; a name that does not resolve is not. */
    public boolean isMulticast() {
        InetAddress address = resolved();
        return address != null && address.isMulticastAddress();
    }

    private InetAddress resolved() {
        try {
            return InetAddress.getByName(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** As Aeron's channel URIs and the flags write it. */
    @Override
    public String toString() {
        return host + ":" + port;
    }
}
