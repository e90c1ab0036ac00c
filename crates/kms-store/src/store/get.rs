//! Get: the object's material, in the format asked for, wrapped when asked, and only
//! where its Sensitive and Extractable attributes allow.

use kmip_types::{AttributeValue, KeyFormatType, KeyWrappingSpecification, Object};

use super::Store;
use super::lifecycle_ops::not_archived;
use crate::access::Operation;
use crate::backend::Backend;
use crate::error::{Result, StoreError};
use crate::ids::{Identity, ObjectId};
use crate::material;

/// How Get returns the material.
#[derive(Debug, Default)]
pub struct GetOptions {
    /// Key Format Type; the stored format when absent.
    pub format: Option<KeyFormatType>,
    /// Key Wrapping Specification: wrap the key under another key first.
    pub wrapping: Option<KeyWrappingSpecification>,
}

impl<B: Backend + std::fmt::Debug> Store<B> {
    /// Get.
    pub async fn get(
        &self,
        caller: &Identity,
        id: &ObjectId,
        options: &GetOptions,
    ) -> Result<Object> {
        let object = self.load(caller, id, Operation::Get).await?;
        not_archived(&object)?;
        let flag = |pick: fn(&AttributeValue) -> Option<bool>| object.attributes.find(pick);
        let is_key = object.object_type != kmip_types::ObjectType::CERTIFICATE
            && object.object_type != kmip_types::ObjectType::PUBLIC_KEY
            && object.object_type != kmip_types::ObjectType::OPAQUE_OBJECT;
        if is_key
            && flag(|v| match v {
                AttributeValue::Extractable(e) => Some(*e),
                _ => None,
            }) == Some(false)
        {
            return Err(StoreError::NotExtractable);
        }
        if is_key
            && options.wrapping.is_none()
            && flag(|v| match v {
                AttributeValue::Sensitive(s) => Some(*s),
                _ => None,
            }) == Some(true)
        {
            return Err(StoreError::Sensitive);
        }
        let mut value = object.open_material(self.inner.protector.as_ref())?;
        if let Some(format) = options.format {
            let stored = value.key_block().map(|b| b.key_format_type);
            if stored.is_some() && stored != Some(format) {
                value = material::convert(&value, format)?;
            } else if stored.is_none() {
                return Err(StoreError::KeyFormatNotSupported(
                    "the object has no key block".into(),
                ));
            }
        }
        if let Some(spec) = &options.wrapping {
            value = self.wrap_for(caller, value, spec).await?;
        }
        if flag(|v| match v {
            AttributeValue::Fresh(f) => Some(*f),
            _ => None,
        }) == Some(true)
        {
            self.served(caller, id).await?;
        }
        Ok(value)
    }

    /// The type of an RSA or EC key's material (for EC its curve), read from the
    /// material itself: the attributes may not name the curve (a key registered without
    /// Cryptographic Domain Parameters), and its Cryptographic Length does not tell
    /// P-256 from secp256k1. `None` for any other object. Metadata, like the
    /// Cryptographic Length: authorized as a read of attributes, the material is never
    /// returned and Fresh is unchanged. A destroyed key is [`StoreError::Destroyed`].
    pub async fn key_type(
        &self,
        caller: &Identity,
        id: &ObjectId,
    ) -> Result<Option<kms_crypto::KeyType>> {
        let object = self.load(caller, id, Operation::Read).await?;
        not_archived(&object)?;
        if !matches!(
            object.object_type,
            kmip_types::ObjectType::PRIVATE_KEY | kmip_types::ObjectType::PUBLIC_KEY
        ) {
            return Ok(None);
        }
        // Through the key cache: a listing asks this of every EC key it shows.
        Ok(match &*self.usable_key(&object)? {
            material::UsableKey::Private(k) => Some(k.key_type()),
            material::UsableKey::Public(k) => Some(k.key_type()),
            _ => None,
        })
    }

    /// Fresh becomes False once the object has been served (KMIP 1.4 §3.34), recorded
    /// before the value leaves. Only the first Get writes: later ones see False and read
    /// only.
    async fn served(&self, caller: &Identity, id: &ObjectId) -> Result<()> {
        self.update(caller, id, Operation::Get, false, |object, _, _| {
            object.attributes.set_server(AttributeValue::Fresh(false));
            Ok(())
        })
        .await
    }
}
