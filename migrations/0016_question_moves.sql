-- 0016 questions made whole: an answer can be corrected by its author (a new answer that
-- corrects the old one, which stays, marked corrected_at), and the partner who asked can say a
-- question was answered enough (it waits no more; asking again opens it again).
ALTER TABLE answers ADD COLUMN corrects INTEGER;
ALTER TABLE answers ADD COLUMN corrected_at INTEGER;
ALTER TABLE questions ADD COLUMN enough_at INTEGER;
