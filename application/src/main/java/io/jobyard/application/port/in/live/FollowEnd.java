package io.jobyard.application.port.in.live;

/** Why a follow ended. */
public enum FollowEnd {
    /** The job finished and its whole log was delivered; {@link LiveLogEvent.End} was the last event. */
    COMPLETE,
    /** The sink held more undelivered bytes than the bound allows: the client reads too slowly. */
    TOO_SLOW,
    /** The follower itself stopped ({@link LogFollow#cancel()}): the client went away. */
    CANCELED,
    /** This instance is shutting down; the client may resume on another one. */
    SHUTDOWN,
    /**
     * The follower may no longer see what it follows (its token revoked or expired, its user blocked, its membership
     * removed, the project made private), found at its periodic access check.
     */
    ACCESS_ENDED
}
