//! Templates (KMIP 1.4 §2.2.6, §2.1.8; deprecated in 1.3, gone in 2.0): a Create,
//! Register or Re-key whose Template-Attribute names registered Template objects gets
//! their attributes, the request's own attributes winning.

use kmip_types::attributes::{Attribute, Name};
use kmip_types::{AttributeValue, Object, ObjectType, ResultReason};
use kms_store::backend::{Backend, Storage};
use kms_store::{GetOptions, LocateRequest, Store};

use super::store_error;
use crate::{KmipError, OpContext};

/// The attributes of the Templates named by `names`, in order, then `own`: an attribute
/// a later source gives replaces every instance of that attribute an earlier one gave
/// (KMIP 1.4 §2.1.8: the Template-Attribute's attributes override the templates', and a
/// later template overrides an earlier one).
pub(super) async fn merge<B: Backend + std::fmt::Debug>(
    store: &Store<B>,
    ctx: &OpContext,
    names: &[Name],
    own: Vec<Attribute>,
) -> Result<Vec<Attribute>, KmipError> {
    let mut merged = Vec::new();
    for name in names {
        let attributes = template_attributes(store, ctx, name).await?;
        override_with(&mut merged, attributes);
    }
    override_with(&mut merged, own);
    Ok(merged)
}

/// Replaces the attributes of `merged` that `later` names, and appends `later`.
fn override_with(merged: &mut Vec<Attribute>, later: Vec<Attribute>) {
    let names: Vec<String> = later.iter().map(Attribute::name).collect();
    merged.retain(|a| !names.contains(&a.name()));
    merged.extend(later);
}

/// The attributes of the caller's one Template object named `name`: Item Not Found when
/// there is none, Invalid Field when the name is ambiguous.
async fn template_attributes<B: Backend + std::fmt::Debug>(
    store: &Store<B>,
    ctx: &OpContext,
    name: &Name,
) -> Result<Vec<Attribute>, KmipError> {
    let query = LocateRequest {
        attributes: vec![
            Attribute::new(AttributeValue::ObjectType(ObjectType::TEMPLATE)),
            Attribute::new(AttributeValue::Name(name.clone())),
        ],
        storage: Storage::Live,
        offset: 0,
        max_items: Some(2),
        after: 0,
    };
    let found = store
        .locate(&ctx.owner, &query)
        .await
        .map_err(store_error(ctx.version))?;
    let id = match found.ids.as_slice() {
        [only] => only,
        [] => {
            return Err(KmipError::new(
                ResultReason::ITEM_NOT_FOUND,
                "no Template object has the name the Template-Attribute gives",
            ));
        }
        _ => {
            return Err(KmipError::new(
                ResultReason::INVALID_FIELD,
                "the Template-Attribute names more than one Template object",
            ));
        }
    };
    let object = store
        .get(&ctx.owner, id, &GetOptions::default())
        .await
        .map_err(store_error(ctx.version))?;
    let Object::Template(template) = object else {
        return Err(KmipError::new(
            ResultReason::GENERAL_FAILURE,
            "a located Template is not one",
        ));
    };
    Ok(template
        .attributes
        .into_iter()
        .map(|mut a| {
            // The index of an attribute in the template says nothing of its place in
            // the new object.
            a.index = None;
            a
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn later_sources_replace_every_instance_of_an_attribute() {
        let group = |g: &str| Attribute::new(AttributeValue::ObjectGroup(g.to_owned()));
        let length = |l| Attribute::new(AttributeValue::CryptographicLength(l));
        let mut merged = Vec::new();
        override_with(&mut merged, vec![group("a"), group("b"), length(128)]);
        override_with(&mut merged, vec![length(256)]);
        assert_eq!(merged, vec![group("a"), group("b"), length(256)]);
        override_with(&mut merged, vec![group("c")]);
        assert_eq!(merged, vec![length(256), group("c")]);
    }
}
