//! Create, Create Key Pair, Register: new objects, their server-set attributes, and
//! their material sealed before anything is written.

use kmip_ttlv::{KmipVersion, Tag};
use kmip_types::attributes::{CryptographicDomainParameters, Digest};
use kmip_types::{
    Attribute, AttributeValue, CryptographicAlgorithm, DateTime, Interval, Link, LinkType, Object,
    ObjectType, State, UniqueId,
};
use kmip_types::{HashingAlgorithm, KeyMaterial, KeyValue};

use super::attribute_ops::{check_client_value, lease_time};
use super::object::ManagedObject;
use super::{Inner, Store};
use crate::attributes::AttributeSet;
use crate::backend::Backend;
use crate::error::{Result, StoreError};
use crate::ids::{Identity, ObjectId};
use crate::lifecycle;
use crate::material;
use crate::sealing::KeyProtector;

/// Per-frontend options of Create, Create Key Pair and Register.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CreateOptions {
    /// The new object is Active at once (Activation Date now) unless the client set an
    /// Activation Date: the OVHcloud REST API's keys are.
    pub activate: bool,
    /// The identifier the caller chose (the REST API's `id`), for the new object (the
    /// private key of a pair); refused with [`StoreError::AlreadyExists`] if taken.
    pub id: Option<ObjectId>,
}

/// What the server gives every new object: the time it is made at, the lease it starts
/// with, the key its material is sealed under, and whether the server generated it.
pub(super) struct Issue<'a> {
    pub(super) now: i64,
    pub(super) lease: Interval,
    pub(super) protector: &'a dyn KeyProtector,
    /// The server made the key material (Create, Create Key Pair, Re-key): the object
    /// records the generator it came from.
    pub(super) generated: bool,
}

impl<'a> Issue<'a> {
    pub(super) fn new<B>(inner: &'a Inner<B>, now: i64) -> Issue<'a> {
        Issue {
            now,
            lease: lease_time(&inner.config),
            protector: inner.protector.as_ref(),
            generated: false,
        }
    }

    /// The same, for material the server generates.
    pub(super) fn generated(self) -> Issue<'a> {
        Issue {
            generated: true,
            ..self
        }
    }
}

/// Builds a new object's metadata: the client's attributes (checked against the
/// attribute rules), then the server's.
pub(super) fn new_object(
    owner: &Identity,
    object: &Object,
    client: Vec<Attribute>,
    options: &CreateOptions,
    issue: &Issue<'_>,
) -> Result<ManagedObject> {
    let now = issue.now;
    let id = options.id.clone().unwrap_or_else(ObjectId::generate);
    let mut attributes = AttributeSet::new();
    for attribute in client {
        if implied_by(object, &attribute.value) {
            continue;
        }
        check_client_value(&attribute.value)?;
        attributes.add_client(attribute)?;
    }
    let object_type = object.object_type();
    attributes.set_server(AttributeValue::UniqueIdentifier(id.as_str().to_owned()));
    attributes.set_server(AttributeValue::ObjectType(object_type));
    if let Object::Certificate(c) = object {
        attributes.set_server(AttributeValue::CertificateType(c.certificate_type));
    }
    // A key registered as metadata only (KMIP 1.4 §3.56): its Key Block holds no Key
    // Value. The attribute is left out when the value is there, its meaning by default.
    if object
        .key_block()
        .is_some_and(|block| block.key_value.is_none())
    {
        attributes.set_server(AttributeValue::KeyValuePresent(false));
    }
    if let Some(block) = object.key_block() {
        let has_alg = attributes.all("Cryptographic Algorithm").next().is_some();
        let has_len = attributes.all("Cryptographic Length").next().is_some();
        if let (Some(alg), false) = (block.cryptographic_algorithm, has_alg) {
            attributes.set_server(AttributeValue::CryptographicAlgorithm(alg));
        }
        if let (Some(len), false) = (block.cryptographic_length, has_len) {
            attributes.set_server(AttributeValue::CryptographicLength(len));
        }
    }
    if let Some(digest) = digest_of(object) {
        attributes.set_server(AttributeValue::Digest(digest));
    }
    attributes.set_server(AttributeValue::InitialDate(DateTime(now)));
    attributes.set_server(AttributeValue::LastChangeDate(DateTime(now)));
    // Original Creation Date (KMIP 1.4 §3.56): when the object came to be, which may
    // precede its registration here; a client registering an older object may give it,
    // and Re-key carries the replaced object's. Otherwise it is now.
    if attributes.all("Original Creation Date").next().is_none() {
        attributes.set_server(AttributeValue::OriginalCreationDate(DateTime(now)));
    }
    let activation = attributes.find(|v| match v {
        AttributeValue::ActivationDate(d) => Some(d.0),
        _ => None,
    });
    let activation = match (activation, options.activate) {
        (None, true) => {
            attributes.set_server(AttributeValue::ActivationDate(DateTime(now)));
            Some(now)
        }
        (a, _) => a,
    };
    let deactivation = attributes.find(|v| match v {
        AttributeValue::DeactivationDate(d) => Some(d.0),
        _ => None,
    });
    let state = if has_lifecycle(object_type) {
        lifecycle::effective_state(State::PRE_ACTIVE, activation, deactivation, now)
    } else {
        // Opaque objects, templates: KMIP gives them states too; they start Pre-Active.
        lifecycle::effective_state(State::PRE_ACTIVE, activation, deactivation, now)
    };
    attributes.set_server(AttributeValue::State(state));
    // Sensitive (KMIP 1.4 §3.48) defaults to False and Extractable (§3.50) to True; Always
    // Sensitive (§3.49) and Never Extractable (§3.51) start from the values at creation
    // (TC-SENSITIVE-1: False/False, TC-EXTRACTABLE-1: True/False without them; SKFF-M-9-14
    // and TL-M-3-14 list all four).
    let sensitive = attributes
        .find(|v| match v {
            AttributeValue::Sensitive(s) => Some(*s),
            _ => None,
        })
        .unwrap_or(false);
    let extractable = attributes
        .find(|v| match v {
            AttributeValue::Extractable(e) => Some(*e),
            _ => None,
        })
        .unwrap_or(true);
    attributes.set_server(AttributeValue::Sensitive(sensitive));
    attributes.set_server(AttributeValue::AlwaysSensitive(sensitive));
    attributes.set_server(AttributeValue::Extractable(extractable));
    attributes.set_server(AttributeValue::NeverExtractable(!extractable));
    if is_cryptographic(object_type) {
        // The lease a client may cache the object for, as Obtain Lease would grant it
        // (KMIP 1.4 §3.20); the 1.0 profiles expect it on every new key.
        attributes.set_server(AttributeValue::LeaseTime(issue.lease));
        // Random Number Generator (KMIP 1.4 §3.44): the generator of server-made keys.
        if issue.generated {
            attributes.set_server(AttributeValue::RandomNumberGenerator(material::server_rng()));
        }
        // Fresh (KMIP 1.4 §3.34): not yet served to any client; Get clears it. A client
        // registering a key that has been elsewhere may say False.
        if attributes.all("Fresh").next().is_none() {
            attributes.set_server(AttributeValue::Fresh(true));
        }
    }
    let mut managed = ManagedObject {
        id,
        owner: owner.clone(),
        object_type,
        archived: false,
        attributes,
        material: None,
        seq: 0,
        revision: 0,
    };
    managed.seal_material(issue.protector, object)?;
    Ok(managed)
}

/// The Digest attribute (KMIP 1.4 §3.17): SHA-256 over the key material as stored (its
/// bytes, or the TTLV encoding of a transparent structure), the certificate value, or
/// the opaque data value; none for an object without a value.
/// A server-set attribute the client names with the value the object itself gives it
/// (the Object Type, a certificate's Certificate Type): nothing to refuse, the server
/// sets it anyway. The OASIS TC-CERTATTR-1 and TC-PKCS12-1 cases register certificates
/// so; a different value is still refused as read-only.
fn implied_by(object: &Object, value: &AttributeValue) -> bool {
    match (value, object) {
        (AttributeValue::ObjectType(t), _) => *t == object.object_type(),
        (AttributeValue::CertificateType(t), Object::Certificate(c)) => *t == c.certificate_type,
        _ => false,
    }
}

fn digest_of(object: &Object) -> Option<Digest> {
    let (bytes, format) = match object {
        Object::Certificate(c) => (c.certificate_value.clone(), None),
        Object::OpaqueObject(o) => (o.opaque_data_value.expose().to_vec(), None),
        other => {
            let block = other.key_block()?;
            let bytes = match (&block.key_value, block.key_material()) {
                (Some(KeyValue::Bytes(b)), _) => b.expose().to_vec(),
                (_, Some(KeyMaterial::Bytes(b))) => b.expose().to_vec(),
                (_, Some(material)) => {
                    let mut out = Vec::new();
                    material
                        .encode(Tag::KEY_MATERIAL, KmipVersion::V1_4)
                        .ok()?
                        .encode_into(&mut out)
                        .ok()?;
                    out
                }
                _ => return None,
            };
            (bytes, Some(block.key_format_type))
        }
    };
    let bytes = zeroize::Zeroizing::new(bytes);
    let hash = kms_crypto::hash::digest(kms_crypto::HashAlgorithm::Sha256, &bytes);
    Some(Digest {
        hashing_algorithm: HashingAlgorithm::SHA_256,
        digest_value: Some(hash.as_bytes().to_vec()),
        key_format_type: format,
    })
}

fn has_lifecycle(_object_type: ObjectType) -> bool {
    true
}

/// The Managed Cryptographic Objects (KMIP 1.4 §2.2): the ones the attributes that
/// "apply to all cryptographic objects" (Lease Time, Fresh, ...) go on. Templates, Opaque
/// Objects and Certificate Requests are not.
fn is_cryptographic(object_type: ObjectType) -> bool {
    [
        ObjectType::CERTIFICATE,
        ObjectType::SYMMETRIC_KEY,
        ObjectType::PUBLIC_KEY,
        ObjectType::PRIVATE_KEY,
        ObjectType::SPLIT_KEY,
        ObjectType::SECRET_DATA,
        ObjectType::PGP_KEY,
    ]
    .contains(&object_type)
}

fn find_attr<T>(lists: &[&[Attribute]], pick: impl Fn(&AttributeValue) -> Option<T>) -> Option<T> {
    lists
        .iter()
        .flat_map(|l| l.iter())
        .find_map(|a| pick(&a.value))
}

impl<B: Backend + std::fmt::Debug> Store<B> {
    /// Create: a new symmetric key (or HMAC key) from its Cryptographic Algorithm and
    /// Length.
    pub async fn create(
        &self,
        caller: &Identity,
        object_type: ObjectType,
        attributes: Vec<Attribute>,
        options: CreateOptions,
    ) -> Result<ObjectId> {
        let length = || {
            find_attr(&[&attributes], |v| match v {
                AttributeValue::CryptographicLength(l) => Some(*l),
                _ => None,
            })
            .ok_or_else(|| StoreError::MissingData("Cryptographic Length".into()))
        };
        let key = match object_type {
            ObjectType::SYMMETRIC_KEY => {
                let algorithm = find_attr(&[&attributes], |v| match v {
                    AttributeValue::CryptographicAlgorithm(a) => Some(*a),
                    _ => None,
                })
                .ok_or_else(|| StoreError::MissingData("Cryptographic Algorithm".into()))?;
                material::generate_symmetric(algorithm, length()?)?
            }
            ObjectType::SECRET_DATA => material::generate_secret_data(length()?)?,
            _ => {
                return Err(StoreError::NotSupported(
                    "Create makes symmetric keys and secret data; use Create Key Pair or Register"
                        .into(),
                ));
            }
        };
        let object = new_object(
            caller,
            &key,
            attributes,
            &options,
            &Issue::new(&self.inner, self.now()).generated(),
        )?;
        let id = object.id.clone();
        self.insert(vec![object]).await?;
        Ok(id)
    }

    /// Create Key Pair: a private and a public key, linked to each other. `common`
    /// applies to both; `private` and `public` to one each.
    pub async fn create_key_pair(
        &self,
        caller: &Identity,
        common: Vec<Attribute>,
        private: Vec<Attribute>,
        public: Vec<Attribute>,
        options: CreateOptions,
    ) -> Result<(ObjectId, ObjectId)> {
        let lists: [&[Attribute]; 3] = [&private, &common, &public];
        let algorithm: CryptographicAlgorithm = find_attr(&lists, |v| match v {
            AttributeValue::CryptographicAlgorithm(a) => Some(*a),
            _ => None,
        })
        .ok_or_else(|| StoreError::MissingData("Cryptographic Algorithm".into()))?;
        let length = find_attr(&lists, |v| match v {
            AttributeValue::CryptographicLength(l) => Some(*l),
            _ => None,
        });
        let curve = find_attr(&lists, |v| match v {
            AttributeValue::CryptographicDomainParameters(CryptographicDomainParameters {
                recommended_curve,
                ..
            }) => *recommended_curve,
            _ => None,
        });
        let (private_key, public_key) = material::generate_key_pair(algorithm, length, curve)?;
        let mut private_attrs = strip_crypto(&common, &private);
        let mut public_attrs = strip_crypto(&common, &public);
        private_attrs.extend(private);
        public_attrs.extend(public);
        self.insert_pair(
            caller,
            (private_key, private_attrs),
            (public_key, public_attrs),
            options,
            true,
        )
        .await
    }

    /// Registers a private key and its public key in one transaction, linked both ways
    /// (Public Key Link on the private key, Private Key Link on the public key), as Create
    /// Key Pair would have made them. `attributes` apply to both.
    pub async fn register_key_pair(
        &self,
        caller: &Identity,
        private_key: Object,
        public_key: Object,
        attributes: Vec<Attribute>,
        options: CreateOptions,
    ) -> Result<(ObjectId, ObjectId)> {
        if private_key.object_type() != ObjectType::PRIVATE_KEY
            || public_key.object_type() != ObjectType::PUBLIC_KEY
        {
            return Err(StoreError::InvalidField(
                "a key pair is a Private Key and a Public Key".into(),
            ));
        }
        self.insert_pair(
            caller,
            (private_key, attributes.clone()),
            (public_key, attributes),
            options,
            false,
        )
        .await
    }

    /// Inserts a private and a public key in one transaction, linked both ways;
    /// `generated` when the server made them.
    async fn insert_pair(
        &self,
        caller: &Identity,
        (private_key, private_attrs): (Object, Vec<Attribute>),
        (public_key, public_attrs): (Object, Vec<Attribute>),
        options: CreateOptions,
        generated: bool,
    ) -> Result<(ObjectId, ObjectId)> {
        let issue = Issue::new(&self.inner, self.now());
        let issue = if generated { issue.generated() } else { issue };
        let public_options = CreateOptions {
            id: None,
            ..options.clone()
        };
        let mut private_object = new_object(caller, &private_key, private_attrs, &options, &issue)?;
        let mut public_object =
            new_object(caller, &public_key, public_attrs, &public_options, &issue)?;
        link(
            &mut private_object,
            LinkType::PUBLIC_KEY_LINK,
            &public_object.id,
        );
        link(
            &mut public_object,
            LinkType::PRIVATE_KEY_LINK,
            &private_object.id,
        );
        let ids = (private_object.id.clone(), public_object.id.clone());
        self.insert(vec![private_object, public_object]).await?;
        Ok(ids)
    }

    /// Register: an object the client supplies.
    pub async fn register(
        &self,
        caller: &Identity,
        object: Object,
        attributes: Vec<Attribute>,
        options: CreateOptions,
    ) -> Result<ObjectId> {
        let managed = new_object(
            caller,
            &object,
            attributes,
            &options,
            &Issue::new(&self.inner, self.now()),
        )?;
        let id = managed.id.clone();
        self.insert(vec![managed]).await?;
        Ok(id)
    }
}

/// The common attributes, minus those the specific list overrides (a single-instance
/// attribute in both would be refused as a duplicate).
fn strip_crypto(common: &[Attribute], specific: &[Attribute]) -> Vec<Attribute> {
    common
        .iter()
        .filter(|c| {
            let name = c.name();
            let multiple = crate::attributes::policy::rule(&c.value).multiple;
            multiple || !specific.iter().any(|s| s.name() == name)
        })
        .cloned()
        .collect()
}

pub(super) fn link(object: &mut ManagedObject, link_type: LinkType, to: &ObjectId) {
    object.attributes.set_server(AttributeValue::Link(Link {
        link_type,
        linked_object_identifier: UniqueId::Text(to.as_str().to_owned()),
    }));
}
