package io.ssehub.hub;

/**
 * A broker did not answer in time, failed, or the wait for it was interrupted: nothing was
 * acknowledged. With a backplane a publish may still have been sequenced just before the failure,
 * so a caller that retries may publish twice.
 */
public final class BrokerUnavailableException extends RuntimeException {

    private final boolean interrupted;

    BrokerUnavailableException(boolean interrupted, Throwable cause) {
        super(interrupted ? "interrupted while waiting for the broker" : "the broker did not answer", cause);
        this.interrupted = interrupted;
    }

    /** Whether the waiting thread was interrupted (its interrupt flag is set again). */
    public boolean interrupted() {
        return interrupted;
    }
}
