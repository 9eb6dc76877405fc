//! GPT-2 byte-level BPE tokens: from their printable form back to raw bytes.
//!
//! CTranslate2's `vocabulary.txt` stores each token in GPT-2's "bytes to
//! unicode" form (every byte mapped to a printable character, `Ġ` for a
//! space). whisper.cpp wants the raw bytes, so the importer maps each
//! character back through the inverse table built here.

use super::ImportError;

/// Number of ordinary text tokens (ids `0..50256`) that a ggml file carries;
/// the special and timestamp tokens after them are synthesised by whisper.cpp.
pub const N_TEXT_TOKENS: usize = 50256;

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

/// Reads `vocabulary.txt` and returns the raw bytes of the first
/// [`N_TEXT_TOKENS`] tokens, checking the file is a Whisper vocabulary.
pub fn text_tokens_from_vocabulary(text: &str) -> Result<Vec<Vec<u8>>, ImportError> {
    let lines: Vec<&str> = text.lines().collect();
    if lines.len() <= N_TEXT_TOKENS || lines[N_TEXT_TOKENS] != "<|endoftext|>" {
        return Err(ImportError::NotCt2(format!(
            "vocabulary.txt has {} lines and line {} is not <|endoftext|>; \
             it is not a Whisper (GPT-2) vocabulary",
            lines.len(),
            N_TEXT_TOKENS + 1
        )));
    }
    let decoder = ByteDecoder::default();
    lines[..N_TEXT_TOKENS]
        .iter()
        .enumerate()
        .map(|(id, tok)| {
            let bytes = decoder.token_bytes(tok).ok_or_else(|| {
                ImportError::NotCt2(format!(
                    "vocabulary token {id} ({tok:?}) is not GPT-2 byte-level text"
                ))
            })?;
            if bytes.is_empty() || bytes.len() > 128 {
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
}
