//! JSON Web Key model.
