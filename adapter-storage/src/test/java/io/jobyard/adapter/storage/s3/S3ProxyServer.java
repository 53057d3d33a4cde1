package io.jobyard.adapter.storage.s3;

import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

import java.net.URI;
import java.time.Duration;
import java.util.Properties;

import static org.awaitility.Awaitility.await;

/**
 * A real S3 server in this JVM: S3Proxy over a jclouds in-memory ("transient") blob store, on a free loopback port,
 * checking AWS v4 signatures like S3 does. One per test class; each test uses its own bucket.
 */
public final class S3ProxyServer {
    public static final String ACCESS_KEY = "jobyard-test";
    public static final String SECRET_KEY = "jobyard-test-secret";
    public static final String REGION = "us-east-1";

    private final BlobStoreContext context;
    private final S3Proxy proxy;
    private final URI endpoint;

    private S3ProxyServer(BlobStoreContext context, S3Proxy proxy, URI endpoint) {
        this.context = context;
        this.proxy = proxy;
        this.endpoint = endpoint;
    }

    public static S3ProxyServer start() throws Exception {
        Properties properties = new Properties();
        BlobStoreContext context = ContextBuilder.newBuilder("transient")
                .credentials(ACCESS_KEY, SECRET_KEY)
                .overrides(properties)
                .build(BlobStoreContext.class);
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(context.getBlobStore())
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .endpoint(URI.create("http://127.0.0.1:0"))
                .build();
        proxy.start();
        await("S3Proxy started").atMost(Duration.ofMinutes(1)).until(proxy::getState, "STARTED"::equals);
        return new S3ProxyServer(context, proxy, URI.create("http://127.0.0.1:" + proxy.getPort()));
    }

    public URI endpoint() {
        return endpoint;
    }

    public void stop() throws Exception {
        try {
            proxy.stop();
        } finally {
            context.close();
        }
    }
}
