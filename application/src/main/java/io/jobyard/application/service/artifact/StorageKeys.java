package io.jobyard.application.service.artifact;

import io.jobyard.domain.artifact.ArtifactFileType;
import io.jobyard.domain.artifact.ArtifactId;
import io.jobyard.domain.job.JobId;
import io.jobyard.domain.project.ProjectId;

import java.util.UUID;

/**
 * Where an artifact's bytes go in the store. Keys are never reused: besides the artifact id they carry a random part,
 * so a database restored or reset beside a store that kept its files can never make a new record point at an old
 * blob. Keys use only {@code [a-z0-9/._-]}, which every store supports.
 */
public final class StorageKeys {
    /** Every artifact key starts with this; the orphan sweep never looks outside it (a bucket may hold more). */
    public static final String ARTIFACT_PREFIX = "projects/";

    private StorageKeys() {
    }

    public static String forArtifact(ProjectId project, JobId job, ArtifactId artifact, ArtifactFileType type) {
        return ARTIFACT_PREFIX + project.value() + "/jobs/" + job.value() + "/" + artifact.value() + "-"
                + type.wireName() + "-" + UUID.randomUUID();
    }
}
