package io.jobyard.adapter.http;

import io.jobyard.adapter.http.ApiWorld.Response;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Blocking work (store reads, streaming) runs on worker threads, never on Undertow's two IO threads: 200 downloads and
 * list calls in flight at once all complete with the right bytes.
 */
class ConcurrentRequestsTest {
    @Test
    void twoHundredConcurrentDownloadsAndListsAllSucceed() throws Exception {
        try (ApiWorld world = new ApiWorld()) {
            String jobs = "/projects/" + world.privateProject.project().id() + "/jobs";
            String archive = jobs + "/" + world.privateProject.build().id() + "/artifacts";
            String file = archive + "/out/data.bin";
            String byRef = jobs + "/artifacts/feature/login/raw/out/report.txt?job=build";
            ExecutorService clients = Executors.newFixedThreadPool(200);
            CountDownLatch start = new CountDownLatch(1);
            try {
                List<Future<Response>> downloads = new ArrayList<>();
                List<Future<Response>> files = new ArrayList<>();
                List<Future<Response>> lists = new ArrayList<>();
                List<Future<Response>> rawFiles = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    downloads.add(clients.submit(call(start, () -> world.get(archive, "pat-dev"))));
                    files.add(clients.submit(call(start, () -> world.get(file, "pat-rita"))));
                    lists.add(clients.submit(call(start, () -> world.get(jobs + "?per_page=100", "pat-max"))));
                    rawFiles.add(clients.submit(call(start, () -> world.get(byRef, "pat-dev"))));
                }
                start.countDown();
                for (Future<Response> download : downloads) {
                    Response response = download.get();
                    assertThat(response.status()).isEqualTo(200);
                    assertThat(response.body()).isEqualTo(ApiWorld.zip());
                }
                for (Future<Response> download : files) {
                    assertThat(download.get().body()).isEqualTo(ApiWorld.BINARY);
                }
                for (Future<Response> list : lists) {
                    Response response = list.get();
                    assertThat(response.status()).isEqualTo(200);
                    assertThat(response.json().size()).isEqualTo(5);
                }
                for (Future<Response> raw : rawFiles) {
                    assertThat(raw.get().text()).isEqualTo(ApiWorld.REPORT);
                }
            } finally {
                clients.shutdownNow();
            }
        }
    }

    private static Callable<Response> call(CountDownLatch start, Callable<Response> request) {
        return () -> {
            start.await();
            return request.call();
        };
    }
}
