-- One completeUpload at a time checks an upload's bytes: the others wait for its outcome.
ALTER TABLE "files" ADD COLUMN "completing_until" TIMESTAMPTZ(3);
