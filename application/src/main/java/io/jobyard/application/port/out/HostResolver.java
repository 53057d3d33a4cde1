package io.jobyard.application.port.out;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** Resolves a host name to its addresses; tests substitute answers (a name that rebinds to a private address). */
@FunctionalInterface
public interface HostResolver {

    /** The system resolver. */
    HostResolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));

    /** @throws UnknownHostException when the name does not resolve */
    List<InetAddress> resolve(String host) throws UnknownHostException;
}
