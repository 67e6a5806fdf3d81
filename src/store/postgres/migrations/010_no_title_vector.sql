-- Searching: a title word is answered by the in-memory word index, and the store checks a
-- title phrase only as the weight-A lexemes of a paper's whole vector (text-search.ts).
-- The title's own vector and its GIN index, made for every imported paper (migration
-- 008), and the function that looked words up in both go.
DROP FUNCTION paper_keys_matching(text, text);
DROP INDEX paper_word_vectors_title;
ALTER TABLE paper_word_vectors DROP COLUMN title_words;
