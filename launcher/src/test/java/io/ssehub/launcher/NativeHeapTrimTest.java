package io.ssehub.launcher;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class NativeHeapTrimTest {

    @Test
    void theJvmsOwnTrimRunsAndReportsWhatItGaveBack() throws Exception {
        String report = NativeHeapTrim.trimOnce();
        assertTrue(report.startsWith("Trim native heap: RSS+Swap:"), report);
    }
}
