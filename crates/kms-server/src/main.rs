//! The KMS server binary.

fn main() {
    println!("kms-server: under construction");
}
