package io.jobyard.application.service;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/** A port behind a proxy that counts its calls: how tests pin the number of reads a use case makes. */
public final class PortCalls {
    private PortCalls() {
    }

    /** {@code delegate} behind {@code port}, counting in {@code calls} every call whose method name {@code counted}. */
    public static <T> T counting(Class<T> port, T delegate, Predicate<String> counted, AtomicInteger calls) {
        return port.cast(Proxy.newProxyInstance(port.getClassLoader(), new Class<?>[]{port}, (proxy, method, args) -> {
            if (counted.test(method.getName())) {
                calls.incrementAndGet();
            }
            try {
                return method.invoke(delegate, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }));
    }

    /** {@link #counting} of every call. */
    public static <T> T counting(Class<T> port, T delegate, AtomicInteger calls) {
        return counting(port, delegate, name -> true, calls);
    }
}
