//! KMIP protocol versions known to the dictionary.

use core::fmt;

/// A KMIP protocol version, ordered oldest first.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KmipVersion {
    /// KMIP 1.0
    V1_0,
    /// KMIP 1.1
    V1_1,
    /// KMIP 1.2
    V1_2,
    /// KMIP 1.3
    V1_3,
    /// KMIP 1.4
    V1_4,
    /// KMIP 2.0
    V2_0,
    /// KMIP 2.1
    V2_1,
}

impl KmipVersion {
    /// Every version, oldest first.
    pub const ALL: [KmipVersion; 7] = [
        KmipVersion::V1_0,
        KmipVersion::V1_1,
        KmipVersion::V1_2,
        KmipVersion::V1_3,
        KmipVersion::V1_4,
        KmipVersion::V2_0,
        KmipVersion::V2_1,
    ];

    /// The newest version.
    pub const LATEST: KmipVersion = KmipVersion::V2_1;

    /// Major and minor numbers as carried by Protocol Version.
    pub const fn major_minor(self) -> (i32, i32) {
        match self {
            KmipVersion::V1_0 => (1, 0),
            KmipVersion::V1_1 => (1, 1),
            KmipVersion::V1_2 => (1, 2),
            KmipVersion::V1_3 => (1, 3),
            KmipVersion::V1_4 => (1, 4),
            KmipVersion::V2_0 => (2, 0),
            KmipVersion::V2_1 => (2, 1),
        }
    }

    /// The version with these numbers, if known.
    pub fn from_major_minor(major: i32, minor: i32) -> Option<Self> {
        KmipVersion::ALL
            .into_iter()
            .find(|v| v.major_minor() == (major, minor))
    }

    /// True for 2.0 and later, where attributes are encoded by tag rather than by name.
    pub const fn is_2x(self) -> bool {
        matches!(self, KmipVersion::V2_0 | KmipVersion::V2_1)
    }
}

impl fmt::Display for KmipVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (major, minor) = self.major_minor();
        write!(f, "{major}.{minor}")
    }
}
