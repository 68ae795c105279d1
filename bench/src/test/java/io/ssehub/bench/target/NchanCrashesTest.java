package io.ssehub.bench.target;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class NchanCrashesTest {

    @Test
    void countsWorkersThatDiedOfASignalAndNothingElse() {
        String log = """
                2026/12/05 21:11:13 [error] 7993#7993: MEMSTORE:00: force-reaping msg with refcount 1
                2026/12/05 21:11:13 [alert] 7992#7992: worker process 7994 exited on signal 11
                2026/12/05 21:11:14 [warn] 8001#8001: *77 nchan: Missed message for eventsource subscriber
                2026/12/05 21:11:15 [alert] 7992#7992: worker process 8001 exited on signal 9
                2026/12/05 21:11:16 [notice] 7992#7992: signal 17 (SIGCHLD) received from 8002
                """;
        assertEquals(2, NchanTarget.crashedWorkers(log));
        assertEquals(0, NchanTarget.crashedWorkers(""));
    }
}
