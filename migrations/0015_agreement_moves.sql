-- 0015 the missing moves of an agreement: the partner asked to sign declines with a reason the
-- other sees (the proposal is settled as retired, marked declined; a declined revision leaves
-- the version in force as it was), and the one who asked to retire one takes it back, with a
-- reason (the last such is kept on the row; every one is in the ledger).
ALTER TABLE agreements ADD COLUMN declined_by INTEGER;
ALTER TABLE agreements ADD COLUMN declined_at INTEGER;
ALTER TABLE agreements ADD COLUMN decline_reason TEXT;
ALTER TABLE agreements ADD COLUMN withdrawn_by INTEGER;
ALTER TABLE agreements ADD COLUMN withdrawn_at INTEGER;
ALTER TABLE agreements ADD COLUMN withdrawn_reason TEXT;
