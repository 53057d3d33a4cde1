-- Pipeline and job variables are sealed with the host's key (SecretCipher); each sealed value names its key. This
-- table lists the keys the database's values were sealed under: a start with another key is refused with a clear
-- message instead of failing on the first variable read, and a key is recorded here only once every variable written
-- before encryption was sealed (the adapter seals those rows at the first start with a key).

CREATE TABLE encryption_keys (
    key_id      VARCHAR(64)              NOT NULL PRIMARY KEY,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
