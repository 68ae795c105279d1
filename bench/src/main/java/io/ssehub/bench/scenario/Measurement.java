package io.ssehub.bench.scenario;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The figures of one scenario against one server in one run, in insertion order, plus whether
 * the run counts: a figure only counts when every event reached every subscriber.
 */
public final class Measurement {

    private final Map<String, Double> figures = new LinkedHashMap<>();
    private boolean valid = true;
    private final StringBuilder notes = new StringBuilder();

    public Measurement put(String name, double value) {
        figures.put(name, value);
        return this;
    }

    public Map<String, Double> figures() {
        return figures;
    }

    public double get(String name) {
        Double value = figures.get(name);
        return value == null ? Double.NaN : value;
    }

    /** Marks the run as not counting, with the reason. */
    public void invalid(String reason) {
        valid = false;
        note(reason);
    }

    public void note(String note) {
        if (!notes.isEmpty()) {
            notes.append("; ");
        }
        notes.append(note);
    }

    public boolean valid() {
        return valid;
    }

    public String notes() {
        return notes.toString();
    }
}
