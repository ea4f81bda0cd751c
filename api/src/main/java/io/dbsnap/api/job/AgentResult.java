package io.dbsnap.api.job;

/**
 * What an agent command ({@code dbsnap agent snapshot}, later {@code agent restore}) reports in its
 * Job's termination message; {@link TerminationMessage} writes and reads it. Each command has its
 * own record with the fields of its result.
 */
public interface AgentResult {

    boolean succeeded();

    /** Why it failed ({@link FailureReason}); {@code null} on success. */
    String reason();

    /** Why it failed, or a caveat of a success, for a person; may be shortened to fit. */
    String message();

    /** The same result with another message: how the codec shortens one that does not fit. */
    AgentResult withMessage(String message);
}
