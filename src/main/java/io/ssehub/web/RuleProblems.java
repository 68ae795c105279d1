package io.ssehub.web;

import io.ssehub.http.ProblemException;
import io.ssehub.hub.InvalidMessageException;

/**
 * How the seed API answers a message that breaks one of the shared publishing rules
 * ({@link io.ssehub.hub.PublishRules}): a topic outside the syntax is 400, every other rule 422,
 * each with its problem type; the detail is the rule's own.
 */
final class RuleProblems {

    private RuleProblems() {
    }

    static ProblemException of(InvalidMessageException broken) {
        String detail = broken.getMessage();
        return switch (broken.rule()) {
            case REQUIRED -> ProblemException.unprocessable("missing-field", "Missing field", detail);
            case TOPIC -> ProblemException.badRequest("invalid-topic", "Invalid topic", detail);
            case EVENT -> ProblemException.unprocessable("invalid-event", "Invalid event type", detail);
            case RETRY -> ProblemException.unprocessable("invalid-retry", "Invalid retry", detail);
            case BATCH -> ProblemException.unprocessable("bad-batch", "Bad batch", detail);
        };
    }
}
