//! The key-management endpoints over real mTLS on loopback, driven by curl: create,
//! import, list, get (with the public JWK checked by Python's `cryptography`), patch,
//! the lifecycle, domain isolation, random, health and the OpenAPI document.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use kmip_types::attributes::CryptographicDomainParameters;
use kmip_types::{
    Attribute, AttributeValue, CryptographicAlgorithm, LinkType, RecommendedCurve,
    RevocationReasonCode, State,
};
use kms_crypto::{EcCurve, KeySpec, PrivateKey};
use kms_store::lifecycle::Rules;
use kms_store::material;
use kms_store::{AttributeSelector, CreateOptions, Identity, ObjectId, RevokeRequest};
use serde_json::Value;
use support::{DOMAIN_A, DOMAIN_B, TestServer, python};

fn state(server: &TestServer, who: &str, id: &str) -> String {
    let a = server.call(who, "GET", &format!("/v1/servicekey/{id}"), None);
    assert_eq!(a.status, 200, "{}", a.body);
    a.json()["attributes"]["state"].as_str().unwrap().to_owned()
}

/// Loads a public JWK into Python's `cryptography` and prints the key size: the JWK is
/// a valid RSA key or an EC point on its curve.
const CHECK_PUBLIC_JWK: &str = r#"
import base64, json, sys
from cryptography.hazmat.primitives.asymmetric import rsa, ec
def b(s): return int.from_bytes(base64.urlsafe_b64decode(s + "=" * (-len(s) % 4)), "big")
k = json.loads(sys.argv[1])
if k["kty"] == "RSA":
    pub = rsa.RSAPublicNumbers(b(k["e"]), b(k["n"])).public_key()
else:
    curve = {"P-256": ec.SECP256R1(), "P-384": ec.SECP384R1(), "P-521": ec.SECP521R1()}[k["crv"]]
    pub = ec.EllipticCurvePublicNumbers(b(k["x"]), b(k["y"]), curve).public_key()
print(pub.key_size)
"#;

#[test]
fn generated_keys_and_their_lifecycle() {
    let s = TestServer::start();
    // oct
    let a = s.call(
        "alice",
        "POST",
        "/v1/servicekey",
        Some(r#"{"name":"aes","type":"oct","size":256,"operations":["encrypt","decrypt"],"context":"ctx"}"#),
    );
    assert_eq!(a.status, 201, "{}", a.body);
    assert!(a.header("x-request-id").is_some());
    let oct = a.json();
    assert_eq!(oct["type"], "oct");
    assert_eq!(oct["size"], 256);
    assert_eq!(oct["name"], "aes");
    assert_eq!(oct["protectionLevel"], "SOFTWARE");
    assert_eq!(oct["operations"], serde_json::json!(["encrypt", "decrypt"]));
    assert_eq!(oct["attributes"]["state"], "active");
    for date in ["original_creation_date", "activation_date"] {
        let d = oct["attributes"][date].as_str().unwrap();
        assert!(d.ends_with('Z') && d.contains('T'), "{date}: {d}");
    }
    let oct_id = oct["id"].as_str().unwrap().to_owned();

    // RSA and EC, with the public JWK loaded by Python.
    let rsa_id = s.create(
        "alice",
        r#"{"name":"rsa","type":"RSA","size":2048,"operations":["sign","verify"]}"#,
    );
    let ec_id = s.create("alice", r#"{"name":"ec","type":"EC","curve":"P-384"}"#);
    for (id, kty, size) in [(&rsa_id, "RSA", "2048"), (&ec_id, "EC", "384")] {
        let a = s.call(
            "alice",
            "GET",
            &format!("/v1/servicekey/{id}?format=jwk"),
            None,
        );
        assert_eq!(a.status, 200, "{}", a.body);
        let key = a.json();
        assert_eq!(key["type"], kty);
        let jwk = &key["keys"][0];
        assert_eq!(jwk["kid"], id.as_str());
        assert_eq!(jwk["kty"], kty);
        assert!(jwk.get("d").is_none(), "no private member");
        let printed = python(CHECK_PUBLIC_JWK, &[&jwk.to_string()]);
        assert_eq!(printed.trim(), size);
    }
    let ec = s
        .call("alice", "GET", &format!("/v1/servicekey/{ec_id}"), None)
        .json();
    assert_eq!(ec["curve"], "P-384");
    assert!(ec.get("size").is_none());
    assert_eq!(ec["operations"], serde_json::json!(["sign", "verify"]));
    assert!(ec.get("keys").is_none());
    // A symmetric key has no public JWK.
    s.call(
        "alice",
        "GET",
        &format!("/v1/servicekey/{oct_id}?format=jwk"),
        None,
    )
    .assert_error(400);

    // Patch renames.
    let a = s.call(
        "alice",
        "PATCH",
        &format!("/v1/servicekey/{rsa_id}"),
        Some(r#"{"name":"renamed"}"#),
    );
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.json()["name"], "renamed");
    assert_eq!(
        s.call("alice", "GET", &format!("/v1/servicekey/{rsa_id}"), None)
            .json()["name"],
        "renamed"
    );

    // Activate is idempotent.
    for _ in 0..2 {
        let a = s.call(
            "alice",
            "POST",
            &format!("/v1/servicekey/{oct_id}/activate"),
            None,
        );
        assert_eq!(a.status, 204, "{}", a.body);
        assert!(a.body.is_empty());
    }
    // Delete is refused while active.
    s.call("alice", "DELETE", &format!("/v1/servicekey/{oct_id}"), None)
        .assert_error(409);
    // Deactivate, then compromise, then reactivate.
    let deactivate = |id: &str, reason: &str| {
        s.call(
            "alice",
            "POST",
            &format!("/v1/servicekey/{id}/deactivate"),
            Some(&format!(r#"{{"reason":"{reason}"}}"#)),
        )
    };
    assert_eq!(deactivate(&oct_id, "unspecified").status, 204);
    assert_eq!(state(&s, "alice", &oct_id), "deactivated");
    let attrs = s
        .call("alice", "GET", &format!("/v1/servicekey/{oct_id}"), None)
        .json();
    assert!(attrs["attributes"]["deactivation_date"].is_string());
    assert_eq!(deactivate(&oct_id, "key_compromise").status, 204);
    let attrs = s
        .call("alice", "GET", &format!("/v1/servicekey/{oct_id}"), None)
        .json();
    assert_eq!(attrs["attributes"]["state"], "compromised");
    assert!(attrs["attributes"]["compromise_date"].is_string());
    assert_eq!(
        s.call(
            "alice",
            "POST",
            &format!("/v1/servicekey/{oct_id}/activate"),
            None
        )
        .status,
        204
    );
    let attrs = s
        .call("alice", "GET", &format!("/v1/servicekey/{oct_id}"), None)
        .json();
    assert_eq!(attrs["attributes"]["state"], "active");
    assert!(attrs["attributes"].get("compromise_date").is_none());

    // Delete after deactivation; the key is then gone over REST.
    assert_eq!(deactivate(&rsa_id, "superseded").status, 204);
    let a = s.call("alice", "DELETE", &format!("/v1/servicekey/{rsa_id}"), None);
    assert_eq!(a.status, 204, "{}", a.body);
    s.call("alice", "GET", &format!("/v1/servicekey/{rsa_id}"), None)
        .assert_error(404);
    s.call("alice", "DELETE", &format!("/v1/servicekey/{rsa_id}"), None)
        .assert_error(404);
    s.call(
        "alice",
        "POST",
        &format!("/v1/servicekey/{rsa_id}/activate"),
        None,
    )
    .assert_error(404);

    // Unknown ids.
    s.call(
        "alice",
        "GET",
        "/v1/servicekey/00000000-0000-4000-8000-000000000000",
        None,
    )
    .assert_error(404);
    // The domain-prefixed family reaches the same keys.
    let a = s.call(
        "alice",
        "GET",
        &format!("/api/{DOMAIN_A}/v1/servicekey/{ec_id}"),
        None,
    );
    assert_eq!(a.status, 200, "{}", a.body);
    // And another certificate of the same domain too.
    assert_eq!(state(&s, "alice2", &ec_id), "active");
}

/// The state and first Name of `id` in the store, as the owner of domain A.
fn stored(s: &TestServer, id: &ObjectId) -> (State, Option<String>) {
    let owner = Identity::new(&format!("domain:{DOMAIN_A}")).unwrap();
    let attributes = s
        .run(
            s.store
                .get_attributes(&owner, id, &AttributeSelector::default()),
        )
        .unwrap();
    let state = attributes
        .iter()
        .find_map(|a| match &a.value {
            AttributeValue::State(state) => Some(*state),
            _ => None,
        })
        .unwrap();
    let name = attributes.iter().find_map(|a| match &a.value {
        AttributeValue::Name(n) => Some(n.name_value.clone()),
        _ => None,
    });
    (state, name)
}

/// A pair's public half follows every change of its service key, and a change the
/// public half refuses is not made to either (the halves move in one transaction).
#[test]
fn a_key_pair_moves_as_one() {
    let s = TestServer::start();
    let id = s.create("alice", r#"{"name":"pair","type":"EC","curve":"P-256"}"#);
    let private = ObjectId::parse(&id).unwrap();
    let owner = Identity::new(&format!("domain:{DOMAIN_A}")).unwrap();
    let public = public_half(&s, &private);
    let both = |state: State, name: &str| {
        for half in [&private, &public] {
            assert_eq!(stored(&s, half), (state, Some(name.to_owned())), "{half}");
        }
    };
    both(State::ACTIVE, "pair");

    let a = s.call(
        "alice",
        "PATCH",
        &format!("/v1/servicekey/{id}"),
        Some(r#"{"name":"renamed"}"#),
    );
    assert_eq!(a.status, 200, "{}", a.body);
    both(State::ACTIVE, "renamed");
    let deactivate = Some(r#"{"reason":"superseded"}"#);
    let path = format!("/v1/servicekey/{id}/deactivate");
    assert_eq!(s.call("alice", "POST", &path, deactivate).status, 204);
    both(State::DEACTIVATED, "renamed");
    let path = format!("/v1/servicekey/{id}/activate");
    assert_eq!(s.call("alice", "POST", &path, None).status, 204);
    both(State::ACTIVE, "renamed");
    let path = format!("/v1/servicekey/{id}/deactivate");
    assert_eq!(s.call("alice", "POST", &path, deactivate).status, 204);

    // The public half alone made Active again (as a KMIP client can): deleting the key
    // is refused whole, and the service key stays as it was.
    s.run(s.store.activate(&owner, &public, Rules::REST))
        .unwrap();
    s.call("alice", "DELETE", &format!("/v1/servicekey/{id}"), None)
        .assert_error(409);
    assert_eq!(stored(&s, &private).0, State::DEACTIVATED);
    assert_eq!(stored(&s, &public).0, State::ACTIVE);
    assert_eq!(
        s.call("alice", "GET", &format!("/v1/servicekey/{id}"), None)
            .json()["attributes"]["state"],
        "deactivated"
    );

    // Together again, the pair is deleted whole.
    s.run(s.store.revoke(
        &owner,
        &public,
        RevokeRequest::new(RevocationReasonCode::SUPERSEDED),
        Rules::REST,
    ))
    .unwrap();
    let a = s.call("alice", "DELETE", &format!("/v1/servicekey/{id}"), None);
    assert_eq!(a.status, 204, "{}", a.body);
    both(State::DESTROYED, "renamed");
}

/// The public key the Public Key Link of `private` names.
fn public_half(s: &TestServer, private: &ObjectId) -> ObjectId {
    let owner = Identity::new(&format!("domain:{DOMAIN_A}")).unwrap();
    let links = s
        .run(s.store.get_attributes(
            &owner,
            private,
            &AttributeSelector {
                names: vec!["Link".into()],
            },
        ))
        .unwrap();
    links
        .iter()
        .find_map(|a| match &a.value {
            AttributeValue::Link(l) if l.link_type == LinkType::PUBLIC_KEY_LINK => l
                .linked_object_identifier
                .as_text()
                .and_then(ObjectId::parse),
            _ => None,
        })
        .unwrap()
}

/// A pair whose public half a KMIP client destroyed alone can still be deactivated and
/// deleted over REST (the destroyed half is left as is), and is not activated again.
#[test]
fn a_pair_whose_public_half_was_destroyed_can_be_deleted() {
    let s = TestServer::start();
    let id = s.create("alice", r#"{"name":"half","type":"EC","curve":"P-256"}"#);
    let private = ObjectId::parse(&id).unwrap();
    let public = public_half(&s, &private);
    let owner = Identity::new(&format!("domain:{DOMAIN_A}")).unwrap();
    s.run(s.store.revoke(
        &owner,
        &public,
        RevokeRequest::new(RevocationReasonCode::SUPERSEDED),
        Rules::KMIP,
    ))
    .unwrap();
    s.run(s.store.destroy(&owner, &public, Rules::KMIP))
        .unwrap();

    let deactivate = Some(r#"{"reason":"superseded"}"#);
    let path = format!("/v1/servicekey/{id}/deactivate");
    let a = s.call("alice", "POST", &path, deactivate);
    assert_eq!(a.status, 204, "{}", a.body);
    assert_eq!(state(&s, "alice", &id), "deactivated");
    let path = format!("/v1/servicekey/{id}/activate");
    s.call("alice", "POST", &path, None).assert_error(409);
    assert_eq!(state(&s, "alice", &id), "deactivated");

    let a = s.call("alice", "DELETE", &format!("/v1/servicekey/{id}"), None);
    assert_eq!(a.status, 204, "{}", a.body);
    assert_eq!(stored(&s, &private).0, State::DESTROYED);
    assert_eq!(stored(&s, &public).0, State::DESTROYED);
    s.call("alice", "GET", &format!("/v1/servicekey/{id}"), None)
        .assert_error(404);
}

/// An EC key is shown with its own curve, never one guessed from its length: a P-256
/// key registered without Cryptographic Domain Parameters is P-256 (from its material),
/// and a secp256k1 key (which the OVHcloud API does not define, and whose length is
/// P-256's) is no service key: not listed, 404, whether its curve is named by an
/// attribute or known only from its material.
#[test]
fn ec_keys_show_their_own_curve() {
    let s = TestServer::start();
    let owner = Identity::new(&format!("domain:{DOMAIN_A}")).unwrap();
    let active = CreateOptions {
        activate: true,
        id: None,
    };
    // Created over KMIP with the curve named.
    let common = vec![
        Attribute::new(AttributeValue::CryptographicAlgorithm(
            CryptographicAlgorithm::ECDSA,
        )),
        Attribute::new(AttributeValue::CryptographicDomainParameters(
            CryptographicDomainParameters {
                qlength: None,
                recommended_curve: Some(RecommendedCurve::SECP256_K1),
            },
        )),
    ];
    let (named, _) = s
        .run(
            s.store
                .create_key_pair(&owner, common, Vec::new(), Vec::new(), active.clone()),
        )
        .unwrap();
    // Registered from material alone, secp256k1 and P-256.
    let register = |curve: EcCurve| {
        let key = PrivateKey::generate(KeySpec::Ec(curve)).unwrap();
        let (private, public) =
            material::key_pair_objects(&key, CryptographicAlgorithm::ECDSA).unwrap();
        let (id, _) = s
            .run(
                s.store
                    .register_key_pair(&owner, private, public, Vec::new(), active.clone()),
            )
            .unwrap();
        id
    };
    let k1 = register(EcCurve::Secp256k1);
    let p256 = register(EcCurve::P256);
    for id in [&named, &k1, &p256] {
        assert_eq!(stored(&s, id).0, State::ACTIVE);
    }
    assert_eq!(
        s.run(s.store.get_attributes(
            &owner,
            &k1,
            &AttributeSelector {
                names: vec!["Cryptographic Length".into()],
            },
        ))
        .unwrap()[0]
            .value,
        AttributeValue::CryptographicLength(256)
    );

    for id in [&named, &k1] {
        s.call("alice", "GET", &format!("/v1/servicekey/{id}"), None)
            .assert_error(404);
        s.call("alice", "DELETE", &format!("/v1/servicekey/{id}"), None)
            .assert_error(404);
    }
    let a = s.call("alice", "GET", &format!("/v1/servicekey/{p256}"), None);
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.json()["type"], "EC");
    assert_eq!(a.json()["curve"], "P-256");

    let listed = s.list_all("alice", "");
    let ids: Vec<&str> = listed.iter().map(|k| k["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [p256.as_str()]);
    assert_eq!(listed[0]["curve"], "P-256");
}

/// Python makes the keys to import; the EC key has an `x` with a leading zero octet and
/// the AES key a leading zero octet, both written short as the Go SDK does.
const MAKE_KEYS: &str = r#"
import base64, json, os
from cryptography.hazmat.primitives.asymmetric import rsa, ec
def u(i, n=None):
    b = i.to_bytes((i.bit_length() + 7) // 8 or 1, "big")
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()
r = rsa.generate_private_key(public_exponent=65537, key_size=2048)
n = r.private_numbers()
rsa_jwk = {"kty": "RSA", "n": u(n.public_numbers.n), "e": u(n.public_numbers.e), "d": u(n.d),
           "p": u(n.p), "q": u(n.q), "dp": u(n.dmp1), "dq": u(n.dmq1), "qi": u(n.iqmp),
           "kid": "rsa-import"}
while True:
    e = ec.generate_private_key(ec.SECP256R1())
    en = e.private_numbers()
    if en.public_numbers.x < (1 << 248):
        break
ec_jwk = {"kty": "EC", "crv": "P-256", "x": u(en.public_numbers.x), "y": u(en.public_numbers.y),
          "d": u(en.private_value)}
k = b"\x00" + os.urandom(31)
oct_jwk = {"kty": "oct", "k": base64.urlsafe_b64encode(k.lstrip(b"\x00")).rstrip(b"=").decode()}
pub = rsa.generate_private_key(public_exponent=65537, key_size=3072).public_key().public_numbers()
pub_jwk = {"kty": "RSA", "n": u(pub.n), "e": u(pub.e)}
print(json.dumps({"rsa": rsa_jwk, "ec": ec_jwk, "oct": oct_jwk, "pub": pub_jwk}))
"#;

fn import(s: &TestServer, who: &str, name: &str, extra: &str, jwk: &Value) -> (u16, Value) {
    let body = format!(r#"{{"name":"{name}"{extra},"keys":[{jwk}]}}"#);
    let a = s.call(who, "POST", "/v1/servicekey?format=jwk", Some(&body));
    let json = a.json();
    (a.status, json)
}

#[test]
fn imported_keys() {
    let s = TestServer::start();
    let keys: Value = serde_json::from_str(&python(MAKE_KEYS, &[])).unwrap();

    // AES, 31 octets given for a 256-bit key: padded back with the size.
    let (status, oct) = import(
        &s,
        "alice",
        "oct-import",
        r#","size":256,"operations":["encrypt","decrypt"]"#,
        &keys["oct"],
    );
    assert_eq!(status, 201, "{oct}");
    assert_eq!(oct["type"], "oct");
    assert_eq!(oct["size"], 256);
    assert!(oct.get("keys").is_none());
    // Without the size, the short key is refused.
    let (status, _) = import(&s, "alice", "oct-short", "", &keys["oct"]);
    assert_eq!(status, 400);

    // RSA private key: the public JWK we give back is the one imported.
    let (status, rsa) = import(
        &s,
        "alice",
        "rsa-import",
        r#","operations":["sign","verify"]"#,
        &keys["rsa"],
    );
    assert_eq!(status, 201, "{rsa}");
    assert_eq!(rsa["type"], "RSA");
    assert_eq!(rsa["size"], 2048);
    assert_eq!(rsa["keys"][0]["n"], keys["rsa"]["n"]);
    assert_eq!(rsa["keys"][0]["e"], keys["rsa"]["e"]);
    let rsa_id = rsa["id"].as_str().unwrap();
    let got = s
        .call(
            "alice",
            "GET",
            &format!("/v1/servicekey/{rsa_id}?format=jwk"),
            None,
        )
        .json();
    assert_eq!(got["keys"][0]["n"], keys["rsa"]["n"]);

    // EC private key with a short x: padded back; the JWK we return has the full size.
    let (status, ec) = import(&s, "alice", "ec-import", "", &keys["ec"]);
    assert_eq!(status, 201, "{ec}");
    assert_eq!(ec["type"], "EC");
    assert_eq!(ec["curve"], "P-256");
    assert_eq!(ec["operations"], serde_json::json!(["sign", "verify"]));
    let x = ec["keys"][0]["x"].as_str().unwrap();
    assert_eq!(x.len(), 43, "32 octets");
    let full = URL_SAFE_NO_PAD.decode(x).unwrap();
    let short = URL_SAFE_NO_PAD
        .decode(keys["ec"]["x"].as_str().unwrap())
        .unwrap();
    assert_eq!(full[0], 0);
    assert_eq!(&full[32 - short.len()..], &short[..]);
    assert_eq!(ec["keys"][0]["y"], keys["ec"]["y"]);
    assert_eq!(
        python(CHECK_PUBLIC_JWK, &[&ec["keys"][0].to_string()]).trim(),
        "256"
    );

    // RSA public key: verify by default, never sign.
    let (status, public) = import(&s, "alice", "rsa-public", "", &keys["pub"]);
    assert_eq!(status, 201, "{public}");
    assert_eq!(public["size"], 3072);
    assert_eq!(public["operations"], serde_json::json!(["verify"]));
    assert_eq!(public["keys"][0]["n"], keys["pub"]["n"]);
    let (status, err) = import(
        &s,
        "alice",
        "rsa-public-sign",
        r#","operations":["sign"]"#,
        &keys["pub"],
    );
    assert_eq!(status, 400, "{err}");

    // Mismatches and broken keys.
    let (status, _) = import(&s, "alice", "wrong-type", r#","type":"EC""#, &keys["rsa"]);
    assert_eq!(status, 400);
    let mut broken = keys["ec"].clone();
    broken["y"] = keys["rsa"]["e"].clone();
    let (status, err) = import(&s, "alice", "off-curve", "", &broken);
    assert_eq!(status, 400, "{err}");
    let mut not_b64 = keys["rsa"].clone();
    not_b64["d"] = Value::String("not base64url!".into());
    let (status, err) = import(&s, "alice", "bad-b64", "", &not_b64);
    assert_eq!(status, 400, "{err}");
    assert!(!err.to_string().contains("not base64url!"), "{err}");
    let two = format!(
        r#"{{"name":"two","keys":[{},{}]}}"#,
        keys["oct"], keys["oct"]
    );
    s.call("alice", "POST", "/v1/servicekey", Some(&two))
        .assert_error(400);

    // The public half of an imported pair is not listed on its own.
    let listed = s.list_all("alice", "");
    assert_eq!(listed.len(), 4, "{listed:?}");
}

#[test]
fn list_filters_and_pages() {
    let s = TestServer::start();
    let mut ids = Vec::new();
    for i in 0..25 {
        ids.push(s.create(
            "alice",
            &format!(r#"{{"name":"k{i}","type":"oct","size":128,"operations":["encrypt"]}}"#),
        ));
    }
    // Pages of 10.
    let a = s.call("alice", "GET", "/v1/servicekey?max=10", None);
    assert_eq!(a.status, 200);
    let page = a.json();
    assert_eq!(page["objects_list"].as_array().unwrap().len(), 10);
    assert_eq!(page["is_truncated"], true);
    let token = page["continuation_token"].as_str().unwrap();
    assert!(!token.is_empty() && token.len() <= 500);
    let all = s.list_all("alice", "max=10");
    let listed: Vec<&str> = all.iter().map(|k| k["id"].as_str().unwrap()).collect();
    assert_eq!(listed, ids.iter().map(String::as_str).collect::<Vec<_>>());
    let last = s.call("alice", "GET", "/v1/servicekey", None).json();
    assert_eq!(last["is_truncated"], false);
    assert_eq!(last["continuation_token"], "");
    assert_eq!(last["objects_list"].as_array().unwrap().len(), 25);

    // State filters.
    for id in &ids[..3] {
        let a = s.call(
            "alice",
            "POST",
            &format!("/v1/servicekey/{id}/deactivate"),
            Some(r#"{"reason":"cessation_of_operation"}"#),
        );
        assert_eq!(a.status, 204);
    }
    let a = s.call(
        "alice",
        "DELETE",
        &format!("/v1/servicekey/{}", ids[0]),
        None,
    );
    assert_eq!(a.status, 204);
    assert_eq!(s.list_all("alice", "state=deactivated").len(), 2);
    assert_eq!(s.list_all("alice", "state=active").len(), 22);
    assert_eq!(s.list_all("alice", "state=all").len(), 24);
    assert_eq!(s.list_all("alice", "").len(), 24);
    let destroyed = s.list_all("alice", "state=destroyed");
    assert_eq!(destroyed.len(), 1);
    assert_eq!(destroyed[0]["attributes"]["state"], "destroyed");
    assert_eq!(s.list_all("alice", "state=compromised").len(), 0);

    // Bad parameters.
    for query in [
        "max=9",
        "max=101",
        "max=ten",
        "state=gone",
        "continuation-token=%21%21",
        "state=active&state=all",
    ] {
        s.call("alice", "GET", &format!("/v1/servicekey?{query}"), None)
            .assert_error(400);
    }
    let long = "A".repeat(501);
    s.call(
        "alice",
        "GET",
        &format!("/v1/servicekey?continuation-token={long}"),
        None,
    )
    .assert_error(400);
}

#[test]
fn domains_are_isolated() {
    let s = TestServer::start();
    let id = s.create("alice", r#"{"name":"a","type":"oct","size":256}"#);
    // Another domain neither sees nor touches it.
    for (method, path, body) in [
        ("GET", format!("/v1/servicekey/{id}"), None),
        (
            "PATCH",
            format!("/v1/servicekey/{id}"),
            Some(r#"{"name":"x"}"#),
        ),
        ("DELETE", format!("/v1/servicekey/{id}"), None),
        ("POST", format!("/v1/servicekey/{id}/activate"), None),
        (
            "POST",
            format!("/v1/servicekey/{id}/deactivate"),
            Some(r#"{"reason":"unspecified"}"#),
        ),
        ("GET", format!("/api/{DOMAIN_B}/v1/servicekey/{id}"), None),
    ] {
        s.call("bob", method, &path, body).assert_error(404);
    }
    assert!(s.list_all("bob", "").is_empty());
    // A certificate without a domain owns its own keys.
    assert!(s.list_all("carol", "").is_empty());
    s.call("carol", "GET", &format!("/v1/servicekey/{id}"), None)
        .assert_error(404);
    let carol_key = s.create("carol", r#"{"name":"c","type":"oct","size":128}"#);
    assert_eq!(s.list_all("carol", "").len(), 1);
    s.call("alice", "GET", &format!("/v1/servicekey/{carol_key}"), None)
        .assert_error(404);
    // The path's domain must be the certificate's.
    s.call(
        "alice",
        "GET",
        &format!("/api/{DOMAIN_B}/v1/servicekey"),
        None,
    )
    .assert_error(403);
    s.call(
        "alice",
        "GET",
        &format!("/api/{DOMAIN_B}/v1/servicekey/{id}"),
        None,
    )
    .assert_error(403);
    s.call(
        "carol",
        "GET",
        &format!("/api/{DOMAIN_A}/v1/servicekey"),
        None,
    )
    .assert_error(403);
    let a = s.call(
        "alice",
        "GET",
        &format!("/api/{DOMAIN_A}/v1/servicekey"),
        None,
    );
    assert_eq!(a.status, 200);
    assert_eq!(a.json()["objects_list"].as_array().unwrap().len(), 1);
    // Still the only key alice sees, untouched.
    assert_eq!(s.list_all("alice", "")[0]["name"], "a");
}

#[test]
fn random_health_and_openapi() {
    let s = TestServer::start();
    let a = s.call("alice", "GET", "/v1/random?length=32", None);
    assert_eq!(a.status, 200, "{}", a.body);
    let bytes = a.json()["bytes"].as_str().unwrap().to_owned();
    assert_eq!(bytes.len(), 44, "standard base64 with padding");
    assert!(bytes.ends_with('='));
    let one = s.call("alice", "GET", &format!("/api/{DOMAIN_A}/v1/random"), None);
    assert_eq!(one.json()["bytes"].as_str().unwrap().len(), 4);
    let max = s.call("alice", "GET", "/v1/random?length=4096", None);
    assert_eq!(max.status, 200);
    for bad in ["0", "4097", "-1", "x"] {
        s.call("alice", "GET", &format!("/v1/random?length={bad}"), None)
            .assert_error(400);
    }
    let a = s.call("carol", "GET", "/healthz", None);
    assert_eq!(a.status, 200);
    assert_eq!(a.json(), serde_json::json!({"status":"ok"}));
    let a = s.call("alice", "GET", "/api/openapi.yaml", None);
    assert_eq!(a.status, 200);
    assert_eq!(a.header("content-type"), Some("application/yaml"));
    assert!(a.body.starts_with("openapi: 3.0.1"));
    assert!(a.body.contains("CreateImportServiceKeyRequest"));
    // Unknown paths and methods.
    s.call("alice", "GET", "/v1/nothing", None)
        .assert_error(404);
    s.call("alice", "PUT", "/v1/servicekey", None)
        .assert_error(405);
}
