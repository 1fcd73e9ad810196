//! Terraform (WIP)
pub mod ast;
pub mod scan;
pub mod syntax;
