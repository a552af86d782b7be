-- File sizes past 2 GiB: bytes as 64-bit integers, like the storage counters.
ALTER TABLE "files" ALTER COLUMN "size" SET DATA TYPE BIGINT;
