//! GPT-2 byte-level BPE tokens: from their printable form back to raw bytes.
//!
//! CTranslate2's `vocabulary.txt` stores each token in GPT-2's "bytes to
//! unicode" form (every byte mapped to a printable character, `Ġ` for a
//! space). whisper.cpp wants the raw bytes, so the importer maps each
//! character back through the inverse table built here.

use super::ImportError;

/// Number of ordinary text tokens (ids `0..50256`) that an English-only
/// ggml file carries; the special and timestamp tokens after them are
/// synthesised by whisper.cpp.
pub const N_TEXT_TOKENS: usize = 50256;

/// Number of ordinary text tokens of a multilingual model: its tokenizer
/// has one more, so `<|endoftext|>` is id 50257.
pub const N_TEXT_TOKENS_MULTILINGUAL: usize = 50257;

/// GPT-2's table: the printable character that stands for each byte.
///
/// Bytes that are already visible Latin-1 characters stand for themselves;
/// the other 68 are given code points from 256 upwards, in byte order.
pub fn byte_to_char_table() -> [char; 256] {
    let mut table = ['\0'; 256];
    let mut next_extra = 256u32;
    for (b, slot) in table.iter_mut().enumerate() {
        let visible =
            (33..=126).contains(&b) || (161..=172).contains(&b) || (174..=255).contains(&b);
        let code = if visible {
            b as u32
        } else {
            let c = next_extra;
            next_extra += 1;
            c
        };
        *slot = char::from_u32(code).expect("code points below 512 are valid");
    }
    table
}

/// The inverse of [`byte_to_char_table`]: maps a printable character back to
/// its byte.
pub struct ByteDecoder {
    /// Indexed by code point; every table character is below 512.
    inverse: [Option<u8>; 512],
}

impl Default for ByteDecoder {
    fn default() -> Self {
        let mut inverse = [None; 512];
        for (b, ch) in byte_to_char_table().iter().enumerate() {
            inverse[*ch as usize] = Some(b as u8);
        }
        ByteDecoder { inverse }
    }
}

impl ByteDecoder {
    /// The raw bytes a token stands for, or `None` if it holds a character
    /// that is not in GPT-2's table.
    pub fn token_bytes(&self, token: &str) -> Option<Vec<u8>> {
        token
            .chars()
            .map(|ch| self.inverse.get(ch as usize).copied().flatten())
            .collect()
    }
}

/// Reads `vocabulary.txt` and returns the raw bytes of its ordinary text
/// tokens (the ones before `<|endoftext|>`: [`N_TEXT_TOKENS`] for an
/// English-only model, [`N_TEXT_TOKENS_MULTILINGUAL`] for a multilingual
/// one), checking the file is a Whisper vocabulary.
pub fn text_tokens_from_vocabulary(text: &str) -> Result<Vec<Vec<u8>>, ImportError> {
    let lines: Vec<&str> = text.lines().collect();
    let Some(n_text) = [N_TEXT_TOKENS, N_TEXT_TOKENS_MULTILINGUAL]
        .into_iter()
        .find(|&n| lines.get(n) == Some(&"<|endoftext|>"))
    else {
        return Err(ImportError::NotCt2(format!(
            "vocabulary.txt has {} lines and neither line {} nor line {} is <|endoftext|>; \
             it is not a Whisper vocabulary",
            lines.len(),
            N_TEXT_TOKENS + 1,
            N_TEXT_TOKENS_MULTILINGUAL + 1
        )));
    };
    let decoder = ByteDecoder::default();
    lines[..n_text]
        .iter()
        .enumerate()
        .map(|(id, tok)| {
            let bytes = decoder.token_bytes(tok).ok_or_else(|| {
                ImportError::NotCt2(format!(
                    "vocabulary token {id} ({tok:?}) is not GPT-2 byte-level text"
                ))
            })?;
            // The multilingual tokenizer's last ordinary token (id 50256) is
            // empty; whisper.cpp reads a zero-length token as "".
            let may_be_empty = n_text == N_TEXT_TOKENS_MULTILINGUAL && id == N_TEXT_TOKENS;
            if (bytes.is_empty() && !may_be_empty) || bytes.len() > 128 {
                return Err(ImportError::NotCt2(format!(
                    "vocabulary token {id} is {} bytes long (whisper.cpp takes 1 to 128)",
                    bytes.len()
                )));
            }
            Ok(bytes)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_matches_gpt2_known_characters() {
        let t = byte_to_char_table();
        assert_eq!(t[b' ' as usize], 'Ġ');
        assert_eq!(t[b'\n' as usize], 'Ċ');
        assert_eq!(t[b'\t' as usize], 'ĉ');
        assert_eq!(t[0], 'Ā');
        assert_eq!(t[b'A' as usize], 'A');
        assert_eq!(t[173], 'Ń');
        assert_eq!(t[127], 'ġ');
        // a bijection: 256 distinct characters
        let mut all: Vec<char> = t.to_vec();
        all.sort();
        all.dedup();
        assert_eq!(all.len(), 256);
    }

    #[test]
    fn round_trip_every_byte() {
        let t = byte_to_char_table();
        let d = ByteDecoder::default();
        let all: Vec<u8> = (0..=255).collect();
        let printable: String = all.iter().map(|&b| t[b as usize]).collect();
        assert_eq!(d.token_bytes(&printable).unwrap(), all);
        assert_eq!(d.token_bytes("Ġcountry").unwrap(), b" country");
        assert!(d.token_bytes("€").is_none());
    }

    /// A vocabulary of `n_text` single-byte-ish tokens, then the specials.
    fn vocabulary(n_text: usize, empty_last: bool) -> String {
        let mut lines: Vec<String> = (0..n_text).map(|i| format!("t{i}")).collect();
        if empty_last {
            lines[n_text - 1].clear();
        }
        lines.push("<|endoftext|>".into());
        lines.push("<|startoftranscript|>".into());
        lines.join("\n")
    }

    #[test]
    fn english_and_multilingual_vocabularies_give_their_text_tokens() {
        let en = text_tokens_from_vocabulary(&vocabulary(N_TEXT_TOKENS, false)).unwrap();
        assert_eq!(en.len(), N_TEXT_TOKENS);
        // the multilingual tokenizer has one more token, and it is empty
        let multi =
            text_tokens_from_vocabulary(&vocabulary(N_TEXT_TOKENS_MULTILINGUAL, true)).unwrap();
        assert_eq!(multi.len(), N_TEXT_TOKENS_MULTILINGUAL);
        assert!(multi[N_TEXT_TOKENS].is_empty());
        assert_eq!(multi[7], b"t7");
        // an empty token anywhere else is refused
        let mut bad = vocabulary(N_TEXT_TOKENS, false);
        bad = bad.replacen("t5\n", "\n", 1);
        assert!(text_tokens_from_vocabulary(&bad).is_err());
        // and so is a vocabulary without <|endoftext|> where Whisper has it
        assert!(text_tokens_from_vocabulary(&vocabulary(50000, false)).is_err());
    }
}
