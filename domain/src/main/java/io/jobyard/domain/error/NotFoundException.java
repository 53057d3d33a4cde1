package io.jobyard.domain.error;

/**
 * Something the caller asked for does not exist or must look as if it did not. GitLab spells its 404s three ways
 * and clients see the difference, so the kind of miss is part of the exception.
 */
public final class NotFoundException extends JobyardException {

    /** How GitLab reports the miss. */
    public enum Kind {
        /** {@code not_found!(resource)}: "404 Project Not Found". */
        RESOURCE,
        /** An uncaught {@code find(id)} miss: "404 Not found" (lowercase f). */
        RECORD,
        /** {@code not_found!} without a resource: "404 Not Found". */
        PLAIN
    }

    private final Kind kind;
    private final String resource;

    private NotFoundException(Kind kind, String resource, String message) {
        super(message);
        this.kind = kind;
        this.resource = resource;
    }

    public static NotFoundException resource(String resource) {
        return new NotFoundException(Kind.RESOURCE, resource, resource + " not found");
    }

    public static NotFoundException record(String what) {
        return new NotFoundException(Kind.RECORD, what, what + " not found");
    }

    public static NotFoundException plain(String what) {
        return new NotFoundException(Kind.PLAIN, what, what + " not found");
    }

    public Kind kind() {
        return kind;
    }

    /** The resource name used by {@link Kind#RESOURCE} ("Project", "Job"). */
    public String resource() {
        return resource;
    }
}
