use kmip_ttlv::{Tag, Ttlv, Value};
use kmip_types::{Attribute, AttributeValue, DateTime, Name, State};

use super::*;

fn name(n: &str) -> Attribute {
    Attribute::new(AttributeValue::Name(Name::text(n)))
}

#[test]
fn indexes_are_stable_across_deletes() {
    let mut set = AttributeSet::new();
    for n in ["a", "b", "c"] {
        set.add_client(name(n)).unwrap();
    }
    let gone = set.delete_client("Name", Some(1)).unwrap();
    assert_eq!(gone.value, AttributeValue::Name(Name::text("b")));
    let added = set.add_client(name("d")).unwrap();
    assert_eq!(added.index, Some(3));
    let indexes: Vec<_> = set.all("Name").map(|a| a.index).collect();
    assert_eq!(indexes, [Some(0), Some(2), Some(3)]);
    assert!(matches!(
        set.delete_client("Name", Some(1)),
        Err(StoreError::IndexOutOfBounds { .. })
    ));
    assert!(matches!(
        set.delete_client("Comment", None),
        Err(StoreError::AttributeNotFound(_))
    ));
}

#[test]
fn server_owned_attributes_are_refused_from_clients() {
    let mut set = AttributeSet::new();
    for v in [
        AttributeValue::State(State::ACTIVE),
        AttributeValue::UniqueIdentifier("x".into()),
        AttributeValue::InitialDate(DateTime(1)),
        AttributeValue::LastChangeDate(DateTime(1)),
        AttributeValue::Custom {
            name: "y-server".into(),
            value: Ttlv::new(Tag::ATTRIBUTE_VALUE, Value::Integer(1)),
        },
    ] {
        assert!(
            matches!(
                set.add_client(Attribute::new(v.clone())),
                Err(StoreError::ReadOnlyAttribute(_))
            ),
            "{v:?}"
        );
    }
    set.set_server(AttributeValue::State(State::ACTIVE));
    set.set_server(AttributeValue::State(State::DEACTIVATED));
    assert_eq!(set.all("State").count(), 1);
}

#[test]
fn single_instance_and_dates_by_state() {
    let mut set = AttributeSet::new();
    set.add_client(Attribute::new(AttributeValue::ActivationDate(DateTime(10))))
        .unwrap();
    assert!(
        set.add_client(Attribute::new(AttributeValue::ActivationDate(DateTime(11))))
            .is_err()
    );
    let later = Attribute::new(AttributeValue::ActivationDate(DateTime(20)));
    assert!(matches!(
        set.modify_client(later.clone(), State::ACTIVE),
        Err(StoreError::WrongState { .. })
    ));
    set.modify_client(later, State::PRE_ACTIVE).unwrap();
    assert!(set.delete_client("Activation Date", None).is_err());
}

#[test]
fn sensitive_and_extractable_only_become_safer() {
    let mut set = AttributeSet::new();
    set.add_client(Attribute::new(AttributeValue::Extractable(true)))
        .unwrap();
    set.add_client(Attribute::new(AttributeValue::Sensitive(false)))
        .unwrap();
    set.modify_client(
        Attribute::new(AttributeValue::Extractable(false)),
        State::ACTIVE,
    )
    .unwrap();
    assert!(
        set.modify_client(
            Attribute::new(AttributeValue::Extractable(true)),
            State::ACTIVE
        )
        .is_err()
    );
    set.modify_client(
        Attribute::new(AttributeValue::Sensitive(true)),
        State::ACTIVE,
    )
    .unwrap();
    assert!(
        set.modify_client(
            Attribute::new(AttributeValue::Sensitive(false)),
            State::ACTIVE
        )
        .is_err()
    );
}

#[test]
fn storage_round_trips_every_kind() {
    let mut set = AttributeSet::new();
    set.add_client(name("n0")).unwrap();
    set.add_client(name("n1")).unwrap();
    set.delete_client("Name", Some(0)).unwrap();
    set.set_server(AttributeValue::State(State::PRE_ACTIVE));
    set.set_server(AttributeValue::OperationPolicyName("default".into()));
    set.add_client(Attribute::new(AttributeValue::Custom {
        name: "x-app".into(),
        value: Ttlv::new(Tag::ATTRIBUTE_VALUE, Value::TextString("v".into())),
    }))
    .unwrap();
    set.add_client(Attribute::new(AttributeValue::RotateAutomatic(true)))
        .unwrap();
    set.add_client(Attribute::new(AttributeValue::QuantumSafe(false)))
        .unwrap();
    let bytes = encode(&set).unwrap();
    assert_eq!(decode(&bytes).unwrap(), set);
    assert!(decode(&bytes[..bytes.len() - 1]).is_err());
}

#[test]
fn usage_limits_count_down_from_the_total() {
    use kmip_types::UsageLimitsUnit;
    use kmip_types::attributes::UsageLimits;
    let limits = |count| {
        AttributeValue::UsageLimits(UsageLimits {
            usage_limits_total: 1000,
            usage_limits_count: count,
            usage_limits_unit: UsageLimitsUnit::BYTE,
        })
    };
    let mut set = AttributeSet::new();
    let stored = set.add_client(Attribute::new(limits(None))).unwrap();
    assert_eq!(stored.value, limits(Some(1000)));
    let mut set = AttributeSet::new();
    let stored = set.add_client(Attribute::new(limits(Some(400)))).unwrap();
    assert_eq!(stored.value, limits(Some(400)));
}
