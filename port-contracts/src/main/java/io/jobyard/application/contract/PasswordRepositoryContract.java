package io.jobyard.application.contract;

import io.jobyard.application.port.out.PasswordRepository;
import io.jobyard.application.port.out.PasswordRepository.StoredPassword;
import io.jobyard.domain.user.User;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.jobyard.application.contract.TestData.T0;
import static org.assertj.core.api.Assertions.assertThat;

/** The behaviour every {@link PasswordRepository} has. Extend it and supply the store over the same database. */
public abstract class PasswordRepositoryContract extends RepositoryContract {
    /** A PHC string as long as real ones, with every character class they use. */
    private static final String HASH = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$"
            + "Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmE+/w";

    protected PasswordRepository passwords;

    /** The password store over the database {@link #repositories()} answered (its users). */
    protected abstract PasswordRepository passwords();

    @BeforeEach
    void openPasswords() {
        passwords = passwords();
    }

    @Test
    void aUserWithoutAPasswordHasNoHash() {
        User user = data.user("nopass");

        assertThat(passwords.findHash(user.id())).isEmpty();
        assertThat(passwords.delete(user.id())).isFalse();
    }

    @Test
    void aSavedHashReadsBackExactlyAndSavingAgainReplacesIt() {
        User user = data.user("alice");
        passwords.save(user.id(), HASH, T0);
        assertThat(passwords.findHash(user.id())).contains(HASH);

        passwords.save(user.id(), HASH + "2", T0.plusSeconds(60));

        assertThat(passwords.findHash(user.id())).contains(HASH + "2");
    }

    @Test
    void deletingOneUsersPasswordLeavesTheOthers() {
        User alice = data.user("alice");
        User bob = data.user("bob");
        passwords.save(alice.id(), HASH, T0);
        passwords.save(bob.id(), HASH + "b", T0);

        assertThat(passwords.delete(alice.id())).isTrue();

        assertThat(passwords.findHash(alice.id())).isEmpty();
        assertThat(passwords.findHash(bob.id())).contains(HASH + "b");
    }

    @Test
    void failuresAreCountedUntilALockOrASuccessAndANewPasswordClearsBoth() {
        User user = data.user("dave");
        User without = data.user("nopass");
        passwords.save(user.id(), HASH, T0);

        assertThat(passwords.recordFailure(user.id())).isEqualTo(1);
        assertThat(passwords.recordFailure(user.id())).isEqualTo(2);
        assertThat(passwords.recordFailure(without.id())).isZero();
        assertThat(passwords.find(user.id())).contains(new StoredPassword(HASH, 2, null));

        passwords.lock(user.id(), T0.plusSeconds(600));
        assertThat(passwords.find(user.id())).contains(new StoredPassword(HASH, 0, T0.plusSeconds(600)));
        assertThat(passwords.recordFailure(user.id())).isEqualTo(1);

        passwords.clearFailures(user.id());
        assertThat(passwords.find(user.id())).contains(new StoredPassword(HASH, 0, null));

        passwords.recordFailure(user.id());
        passwords.lock(user.id(), T0.plusSeconds(600));
        passwords.save(user.id(), HASH + "new", T0.plusSeconds(60));
        assertThat(passwords.find(user.id())).contains(new StoredPassword(HASH + "new", 0, null));
        assertThat(passwords.find(without.id())).isEmpty();
    }

    @Test
    void aSaveInsideARolledBackTransactionLeavesNothing() {
        User user = data.user("carol");
        try {
            repos.transactor().run(() -> {
                passwords.save(user.id(), HASH, T0);
                throw new IllegalStateException("roll back");
            });
        } catch (IllegalStateException expected) {
            // rolled back
        }

        assertThat(passwords.findHash(user.id())).isEmpty();
    }
}
