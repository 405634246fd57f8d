//! The DOCX container: a zip read with every size bounded. Sizes are
//! counted as bytes come out of the decompressor, not taken from the
//! headers, so a zip bomb stops at the limit.

use crate::import::ImportError;
use std::io::Read;

/// Most entries in the archive.
pub const MAX_ENTRIES: usize = 10_000;
/// Largest XML part, uncompressed.
pub const MAX_PART_BYTES: u64 = 32 * 1024 * 1024;
/// Largest embedded image, uncompressed.
pub const MAX_IMAGE_BYTES: u64 = 20 * 1024 * 1024;
/// All parts and images read together, uncompressed.
pub const MAX_TOTAL_BYTES: u64 = 256 * 1024 * 1024;

pub struct Package {
    zip: zip::ZipArchive<std::io::Cursor<Vec<u8>>>,
    name: String,
    read: u64,
}

fn input(msg: String) -> ImportError {
    ImportError::Input(msg)
}

impl Package {
    pub fn open(bytes: Vec<u8>, name: &str) -> Result<Package, ImportError> {
        // Word saves a password-protected document as an OLE compound file
        // holding the encrypted package; so is an old .doc.
        if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
            return Err(input(format!(
                "{name} is encrypted (password-protected) or an old Word .doc: save it as an unprotected .docx"
            )));
        }
        let zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| {
            input(format!(
                "{name} is not a DOCX file (not a readable zip: {e})"
            ))
        })?;
        if zip.len() > MAX_ENTRIES {
            return Err(input(format!("{name} holds more than {MAX_ENTRIES} files")));
        }
        Ok(Package {
            zip,
            name: name.to_string(),
            read: 0,
        })
    }

    pub fn has(&self, part: &str) -> bool {
        self.zip.index_for_name(part).is_some()
    }

    /// An XML part, or `None` when the package has none of that name.
    pub fn part(&mut self, part: &str) -> Result<Option<Vec<u8>>, ImportError> {
        self.read(part, MAX_PART_BYTES)
    }

    pub fn image(&mut self, part: &str) -> Result<Option<Vec<u8>>, ImportError> {
        self.read(part, MAX_IMAGE_BYTES)
    }

    fn read(&mut self, part: &str, limit: u64) -> Result<Option<Vec<u8>>, ImportError> {
        let name = self.name.clone();
        let mut file = match self.zip.by_name(part) {
            Ok(f) => f,
            Err(zip::result::ZipError::FileNotFound) => return Ok(None),
            Err(zip::result::ZipError::UnsupportedArchive(why)) => {
                return Err(input(format!(
                    "{name}: {part} cannot be read ({why}); is the document encrypted?"
                )))
            }
            Err(e) => return Err(input(format!("{name}: {part} cannot be read: {e}"))),
        };
        if file.encrypted() {
            return Err(input(format!(
                "{name} is encrypted: save it without a password"
            )));
        }
        let mut bytes = Vec::new();
        let cap = limit.min(MAX_TOTAL_BYTES - self.read.min(MAX_TOTAL_BYTES));
        (&mut file)
            .take(cap + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| input(format!("{name}: {part} is corrupt: {e}")))?;
        if bytes.len() as u64 > cap {
            let mb = limit / 1024 / 1024;
            return Err(input(format!(
                "{name}: {part} unpacks to more than {mb} MB (or the document to more than {} MB): refused as a possible zip bomb",
                MAX_TOTAL_BYTES / 1024 / 1024
            )));
        }
        self.read += bytes.len() as u64;
        Ok(Some(bytes))
    }
}
