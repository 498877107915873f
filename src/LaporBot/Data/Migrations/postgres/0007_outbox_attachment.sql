-- An outgoing message may carry a file (a citizen's photo forwarded to an agency's admins):
-- its path under Attachments:Directory; the body is then the caption.
ALTER TABLE outbox ADD COLUMN attachment TEXT;
