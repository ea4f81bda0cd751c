package io.dbsnap.operator.job;

/** Why a resource cannot go on: the reason of its Failed condition and what a person should do about it. */
public record Problem(String reason, String message) {
}
