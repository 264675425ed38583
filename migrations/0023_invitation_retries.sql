-- 0023 an invitation whose mail the SMTP server did not take is tried again, later each time:
-- mail_tries counts the refusals, next_mail_at is when the next try may go. After the last
-- try its code is forgotten and undelivered_at says when it was given up, so the couple learns
-- that it never arrived (before 0023 a refused invitation was marked mailed).
ALTER TABLE counsellor_invites ADD COLUMN mail_tries INTEGER NOT NULL DEFAULT 0;
ALTER TABLE counsellor_invites ADD COLUMN next_mail_at INTEGER;
ALTER TABLE counsellor_invites ADD COLUMN undelivered_at INTEGER;
