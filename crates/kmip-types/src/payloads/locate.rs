//! Locate (KMIP 1.4 §4.9, KMIP 2.0 §6.1): the identifiers of the objects whose attributes
//! match the given ones.

use crate::UniqueId;
use crate::attributes::{Attribute, Attributes};
use crate::{ObjectGroupMember, StorageStatusMask};

kmip_struct! {
    /// Locate request.
    #[derive(Debug, PartialEq, Eq)]
    pub struct LocateRequest {
        /// At most this many identifiers are returned.
        opt maximum_items: i32 = MAXIMUM_ITEMS,
        /// Skip this many matches first (KMIP 1.3 and later).
        opt [V1_3..] offset_items: i32 = OFFSET_ITEMS,
        /// Match on-line and/or archived objects.
        opt storage_status_mask: StorageStatusMask = STORAGE_STATUS_MASK,
        /// Match the group's fresh or default member (KMIP 1.1 and later).
        opt [V1_1..] object_group_member: ObjectGroupMember = OBJECT_GROUP_MEMBER,
        /// Attributes to match (KMIP 1.x).
        vec [..V2_0] attribute: Attribute = ATTRIBUTE,
        /// Attributes to match (KMIP 2.0; required there, empty to match every object).
        ver [V2_0..] attributes: Attributes = ATTRIBUTES,
    }
}

kmip_struct! {
    /// Locate response.
    #[derive(Debug, PartialEq, Eq)]
    pub struct LocateResponse {
        /// How many objects matched in all (KMIP 1.3 and later).
        opt [V1_3..] located_items: i32 = LOCATED_ITEMS,
        /// The matching objects.
        vec unique_identifiers: UniqueId = UNIQUE_IDENTIFIER,
    }
}
