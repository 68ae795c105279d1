package io.ssehub.launcher;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lets G1 give back to the system the heap a connect burst made it commit, so that a hub holding
 * many idle streams stays near its live heap in resident memory (docs/deployment.md, "Many idle
 * streams", has the figures). These three options are "manageable": a running JVM accepts them,
 * so the launcher sets them itself, before Jetty starts, each only when the JVM runs G1 and the
 * option was left at its default (one given on the command line wins, and another collector is
 * left alone).
 */
final class HeapReturn {

    private static final Logger log = LoggerFactory.getLogger(HeapReturn.class);

    /**
     * Option and value, in the order they are set: the minimum free ratio goes down before the
     * maximum, since the JVM refuses a minimum above the maximum at every step.
     */
    static final Map<String, String> OPTIONS = orderedOptions();

    private HeapReturn() {
    }

    private static Map<String, String> orderedOptions() {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("G1PeriodicGCInterval", "3000");
        options.put("MinHeapFreeRatio", "5");
        options.put("MaxHeapFreeRatio", "10");
        return Collections.unmodifiableMap(options);
    }

    /** Sets what it can; returns the options it set, as {@code -XX:Name=value}. */
    static List<String> apply() {
        List<String> set = new ArrayList<>();
        HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        if (vm == null || !"true".equals(vm.getVMOption("UseG1GC").getValue())) {
            return set;
        }
        for (Map.Entry<String, String> option : OPTIONS.entrySet()) {
            try {
                VMOption current = vm.getVMOption(option.getKey());
                if (current.getOrigin() == VMOption.Origin.DEFAULT && current.isWriteable()) {
                    vm.setVMOption(option.getKey(), option.getValue());
                    set.add("-XX:" + option.getKey() + "=" + option.getValue());
                }
            } catch (RuntimeException e) {
                log.debug("left {} as it was: {}", option.getKey(), e.toString());
            }
        }
        return set;
    }
}
