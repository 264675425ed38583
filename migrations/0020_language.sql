-- 0020 each partner's language for mend's own words ("de", "fr", "es", "en"); NULL: not
-- chosen, and the browser's Accept-Language, else the server's --language, decides.
ALTER TABLE users ADD COLUMN language TEXT CHECK (language IS NULL OR length(language) BETWEEN 2 AND 8);
