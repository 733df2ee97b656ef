//! How text becomes searchable, and how a typed query becomes an FTS5 query.
//!
//! Chinese has no spaces, and FTS5's tokenizers either index a whole run of Chinese as one
//! token (unicode61) or cannot match fewer than three characters (trigram). So the text given
//! to the index is a stream of space-separated tokens made here: a Chinese character followed
//! by another becomes the **bigram** of the two (`停车难` → `停车 车难 难`), the last one of a
//! run stays a single character, and Latin letters and digits stay words. Each token sits at
//! the position of its first character, so a query of consecutive characters is the phrase of
//! its bigrams (`停车难` → `"停车 车难"`), matching exactly the texts that hold it; a phrase of
//! common characters nobody wrote answers from the short doclists of its bigrams, not from
//! the long ones of each character. One character is a prefix query (`水` → `"水"*`, every
//! bigram that starts with it and the single character), answered by merging their doclists
//! (a one-character prefix index would make it faster but the index half as large again, see
//! docs/performance.md). Names add their pinyin words, and a Latin query word matches
//! as a prefix (`zs` → `"zs"*`).
//!
//! Which characters are neighbours is what the earlier per-character index said: characters
//! stay neighbours across punctuation and from one typed field to the next, and a Latin word
//! between them parts them, so every query finds what it found before.

/// How a record shows among the results, and the extra words it is found by (the pinyin of
/// names, a case number as a word).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SearchHead {
    /// What a result shows first (a name, a visitor and category…).
    pub title: String,
    /// The record's date, `YYYY-MM-DD`, or empty.
    pub date: String,
    /// A short piece of the record's text.
    pub snippet: String,
    /// Extra whole words to index.
    pub words: Vec<String>,
}

impl SearchHead {
    /// A head without extra words.
    pub fn new(title: String, date: String, snippet: String) -> SearchHead {
        SearchHead {
            title,
            date,
            snippet,
            words: Vec::new(),
        }
    }

    /// The entry to index: this head with the record's typed texts.
    pub fn with_texts(self, texts: Vec<String>) -> SearchEntry {
        SearchEntry {
            title: self.title,
            date: self.date,
            snippet: self.snippet,
            texts,
            words: self.words,
        }
    }
}

/// One searchable record, as its kind describes it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SearchEntry {
    /// What a result shows first (a name, a visitor and category…).
    pub title: String,
    /// The record's date, `YYYY-MM-DD`, or empty.
    pub date: String,
    /// A short piece of the record's text.
    pub snippet: String,
    /// Texts to index.
    pub texts: Vec<String>,
    /// Extra whole words to index (pinyin of names).
    pub words: Vec<String>,
}

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

fn is_han_like(c: char) -> bool {
    !c.is_ascii() && c.is_alphanumeric()
}

/// A letter other than ASCII in lower case (a full-width `Ａ` as `ａ`, as FTS5's `unicode61`
/// folds it), so that an index whose tokenizer folds only ASCII (the county's `ascii`) finds
/// what the station's finds; a letter whose lower case is more than one character stays.
fn folded(c: char) -> char {
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(one), None) => one,
        _ => c,
    }
}

/// One token of the stream, before Chinese neighbours are paired.
enum Token<'a> {
    Han(char),
    Word(std::borrow::Cow<'a, str>),
}

/// The text given to the FTS index: bigrams of neighbouring Chinese characters (the last of a
/// run alone), Latin words lower-cased, then the extra words.
pub fn index_text(entry: &SearchEntry) -> String {
    let mut tokens: Vec<Token> = Vec::new();
    for text in &entry.texts {
        let mut word = String::new();
        for c in text.chars() {
            if is_word_char(c) {
                word.push(c.to_ascii_lowercase());
                continue;
            }
            if !word.is_empty() {
                tokens.push(Token::Word(std::mem::take(&mut word).into()));
            }
            if is_han_like(c) {
                tokens.push(Token::Han(folded(c)));
            }
        }
        if !word.is_empty() {
            tokens.push(Token::Word(word.into()));
        }
    }
    tokens.extend(entry.words.iter().map(|w| Token::Word(w.as_str().into())));
    let mut out = String::new();
    for (i, token) in tokens.iter().enumerate() {
        match token {
            Token::Han(c) => {
                out.push(*c);
                if let Some(Token::Han(next)) = tokens.get(i + 1) {
                    out.push(*next);
                }
            }
            Token::Word(word) => out.push_str(word),
        }
        out.push(' ');
    }
    out.pop();
    out
}

/// The token that marks a record's kind in the index, so a search can keep to one kind.
pub fn kind_token(kind: &str) -> String {
    format!("zzkind{}", kind.replace('_', ""))
}

/// One part of a query, every one of which must match: a phrase of tokens in a row, or a
/// prefix of a token.
enum QueryPart {
    Phrase(Vec<String>),
    Prefix(String),
}

/// What was typed as the parts of a query: runs of Chinese become phrases of bigrams (one
/// character a prefix), Latin words prefixes.
fn query_parts(typed: &str) -> Vec<QueryPart> {
    let mut parts: Vec<QueryPart> = Vec::new();
    let mut phrase: Vec<char> = Vec::new();
    let mut word = String::new();
    let flush_phrase = |phrase: &mut Vec<char>, parts: &mut Vec<QueryPart>| {
        match phrase.as_slice() {
            [] => {}
            [one] => parts.push(QueryPart::Prefix(one.to_string())),
            many => parts.push(QueryPart::Phrase(
                many.windows(2).map(|pair| pair.iter().collect()).collect(),
            )),
        }
        phrase.clear();
    };
    let flush_word = |word: &mut String, parts: &mut Vec<QueryPart>| {
        if !word.is_empty() {
            parts.push(QueryPart::Prefix(std::mem::take(word)));
        }
    };
    for c in typed.chars() {
        if is_word_char(c) {
            flush_phrase(&mut phrase, &mut parts);
            word.push(c.to_ascii_lowercase());
        } else if is_han_like(c) {
            flush_word(&mut word, &mut parts);
            phrase.push(folded(c));
        } else {
            flush_phrase(&mut phrase, &mut parts);
            flush_word(&mut word, &mut parts);
        }
    }
    flush_phrase(&mut phrase, &mut parts);
    flush_word(&mut word, &mut parts);
    parts
}

/// The FTS5 query for what was typed, or `None` when nothing in it is searchable.
/// Runs of Chinese become phrases of bigrams (one character a prefix), Latin words prefixes;
/// all parts must match.
pub fn fts_query(typed: &str) -> Option<String> {
    let parts: Vec<String> = query_parts(typed)
        .into_iter()
        .map(|part| match part {
            QueryPart::Phrase(tokens) => format!("\"{}\"", tokens.join(" ")),
            QueryPart::Prefix(token) => format!("\"{token}\"*"),
        })
        .collect();
    (!parts.is_empty()).then(|| parts.join(" AND "))
}

/// A token as a PostgreSQL `tsvector` or `tsquery` lexeme, quoted (taken as it is, without
/// a text search configuration's parsing or stemming).
fn pg_lexeme(token: &str) -> String {
    format!("'{}'", token.replace('\\', "\\\\").replace('\'', "''"))
}

/// The highest position PostgreSQL keeps in a `tsvector` (later ones are kept as this).
const PG_LAST_POSITION: usize = 16_383;

/// The index's text ([`index_text`]) as a PostgreSQL `tsvector` literal: each token a lexeme
/// at its position, so that [`pg_query`]'s phrases match the tokens in a row, as FTS5's do.
/// (A text of more than 16,383 tokens has its later ones at the last position: found by
/// each token, and by phrases within the first 16,383.)
pub fn pg_vector(index_text: &str) -> String {
    let mut out = String::new();
    for (i, token) in index_text.split(' ').filter(|t| !t.is_empty()).enumerate() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&pg_lexeme(token));
        out.push(':');
        out.push_str(&(i + 1).min(PG_LAST_POSITION).to_string());
    }
    out
}

/// The PostgreSQL `tsquery` literal for what was typed, matching what [`fts_query`] matches
/// in FTS5 over the same tokens: phrases as lexemes in a row (`<->`), prefixes as `:*`.
pub fn pg_query(typed: &str) -> Option<String> {
    let parts: Vec<String> = query_parts(typed)
        .into_iter()
        .map(|part| match part {
            QueryPart::Phrase(tokens) => {
                let lexemes: Vec<String> = tokens.iter().map(|t| pg_lexeme(t)).collect();
                format!("({})", lexemes.join(" <-> "))
            }
            QueryPart::Prefix(token) => format!("{}:*", pg_lexeme(&token)),
        })
        .collect();
    (!parts.is_empty()).then(|| parts.join(" & "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_is_split_into_bigrams_and_latin_kept_as_words() {
        let entry = SearchEntry {
            texts: vec!["老旧小区停车难，A座3楼".into(), "".into()],
            words: vec!["zhangsan".into(), "zs".into()],
            ..SearchEntry::default()
        };
        assert_eq!(
            index_text(&entry),
            "老旧 旧小 小区 区停 停车 车难 难 a 座 3 楼 zhangsan zs"
        );
    }

    #[test]
    fn letters_outside_ascii_are_folded_as_unicode61_folds_them() {
        let entry = SearchEntry {
            texts: vec!["ＡＢ停车Σ".into()],
            ..SearchEntry::default()
        };
        assert_eq!(index_text(&entry), "ａｂ ｂ停 停车 车σ σ");
        assert_eq!(fts_query("Ａ").as_deref(), Some("\"ａ\"*"));
        assert_eq!(fts_query("停车Σ").as_deref(), Some("\"停车 车σ\""));
        // A letter whose lower case is two characters stays as typed.
        assert_eq!(fts_query("İ").as_deref(), Some("\"İ\"*"));
    }

    #[test]
    fn postgresql_gets_the_same_tokens_and_queries() {
        assert_eq!(
            pg_vector("停车 车难 难 zs"),
            "'停车':1 '车难':2 '难':3 'zs':4"
        );
        assert_eq!(pg_vector(""), "");
        assert_eq!(pg_vector("a'b c\\d"), "'a''b':1 'c\\\\d':2");
        assert_eq!(pg_query("停车难").as_deref(), Some("('停车' <-> '车难')"));
        assert_eq!(pg_query("停车").as_deref(), Some("('停车')"));
        assert_eq!(pg_query("水 ZS").as_deref(), Some("'水':* & 'zs':*"));
        assert_eq!(pg_query(" ，"), None);
        let long: String = std::iter::repeat_n("的", 20_000)
            .collect::<Vec<_>>()
            .join(" ");
        assert!(pg_vector(&long).ends_with("'的':16383"));
    }

    #[test]
    fn queries_become_phrases_and_prefixes() {
        assert_eq!(fts_query("停车").as_deref(), Some("\"停车\""));
        assert_eq!(fts_query("停车难").as_deref(), Some("\"停车 车难\""));
        assert_eq!(fts_query("水").as_deref(), Some("\"水\"*"));
        assert_eq!(fts_query("ZS").as_deref(), Some("\"zs\"*"));
        assert_eq!(
            fts_query("停车 zs").as_deref(),
            Some("\"停车\" AND \"zs\"*")
        );
        assert_eq!(
            fts_query("老旧小区，停车").as_deref(),
            Some("\"老旧 旧小 小区\" AND \"停车\"")
        );
        // Quotes and operators typed by a person are never FTS syntax.
        assert_eq!(fts_query("\" * ( -").as_deref(), None);
        assert_eq!(
            fts_query("OR NEAR").as_deref(),
            Some("\"or\"* AND \"near\"*")
        );
        assert_eq!(fts_query("a\"b").as_deref(), Some("\"a\"* AND \"b\"*"));
        assert_eq!(fts_query("   "), None);
    }
}
