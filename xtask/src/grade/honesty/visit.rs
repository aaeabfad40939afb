//! The walk over syn's syntax tree. It meets each token once, in source order (see
//! `scanner.rs`): shorthand fields (`Foo { x }`, one token that syn holds twice), lifetimes (no
//! identifiers to the lexer) and doc comments (comments to the lexer) are handled here.

use syn::buffer::TokenBuffer;
use syn::visit::{self, Visit};
use syn::{
    Abi, Attribute, Expr, ExprCall, ExprLit, ExprMethodCall, FieldPat, FieldValue, ForeignItem,
    Ident, ImplItem, Item, ItemExternCrate, ItemForeignMod, ItemUse, Lifetime, Lit, LitByteStr,
    LitCStr, LitStr, Macro, Meta, Pat, Path, TraitItem, Type,
};

use super::rules::{self, Arg};
use super::scanner::{Scanner, segments};
use super::tokens::{Mode, first_arg};

/// Walks a `proc_macro2::TokenStream` (a type this crate cannot name: proc-macro2 is syn's).
macro_rules! walk_stream {
    ($scanner:expr, $tokens:expr, $mode:expr) => {{
        let buffer = TokenBuffer::new2($tokens.clone());
        $scanner.walk(buffer.begin(), $mode);
    }};
}

impl<'ast> Visit<'ast> for Scanner<'_> {
    fn visit_ident(&mut self, ident: &'ast Ident) {
        self.note(&ident.to_string());
    }

    /// `'a` is no identifier to the lexer.
    fn visit_lifetime(&mut self, _: &'ast Lifetime) {}

    /// `Foo { x }`: one token, which syn holds as the field and as the value.
    fn visit_field_value(&mut self, node: &'ast FieldValue) {
        if node.colon_token.is_some() {
            return visit::visit_field_value(self, node);
        }
        node.attrs
            .iter()
            .for_each(|attr| self.visit_attribute(attr));
        self.visit_member(&node.member);
    }

    fn visit_field_pat(&mut self, node: &'ast FieldPat) {
        if node.colon_token.is_some() {
            return visit::visit_field_pat(self, node);
        }
        node.attrs
            .iter()
            .for_each(|attr| self.visit_attribute(attr));
        self.visit_member(&node.member);
    }

    fn visit_path(&mut self, path: &'ast Path) {
        let written = segments(path);
        let nth = self.peek(&written[0]);
        visit::visit_path(self, path);
        if self.quiet == 0
            && let Some(hit) = self.path_hit(&written)
        {
            self.at_ident(&written[0], nth, hit);
        }
    }

    fn visit_expr_call(&mut self, node: &'ast ExprCall) {
        let callee = match &*node.func {
            Expr::Path(func) if func.qself.is_none() => Some(segments(&func.path)),
            _ => None,
        };
        let nth = callee.as_ref().map(|written| self.peek(&written[0]));
        visit::visit_expr_call(self, node);
        let (Some(written), Some(nth)) = (callee, nth) else {
            return;
        };
        let arg = match node.args.first() {
            None => Arg::Missing,
            Some(Expr::Lit(ExprLit {
                lit: Lit::Str(name),
                ..
            })) => Arg::Str(name.value()),
            Some(_) => Arg::Other,
        };
        if let Some(hit) = self.call_hit(&written, &arg) {
            self.at_ident(&written[0], nth, hit);
        }
    }

    fn visit_expr_method_call(&mut self, node: &'ast ExprMethodCall) {
        node.attrs
            .iter()
            .for_each(|attr| self.visit_attribute(attr));
        self.visit_expr(&node.receiver);
        let name = node.method.to_string();
        let nth = self.note(&name);
        if let Some(hit) = rules::method(&name) {
            self.at_ident(&name, nth, hit);
        }
        if let Some(turbofish) = &node.turbofish {
            self.visit_angle_bracketed_generic_arguments(turbofish);
        }
        node.args.iter().for_each(|arg| self.visit_expr(arg));
    }

    fn visit_macro(&mut self, mac: &'ast Macro) {
        let (written, nth) = self.quiet_path(&mac.path);
        let buffer = TokenBuffer::new2(mac.tokens.clone());
        if let Some(hit) = self.macro_hit(&written, &first_arg(buffer.begin())) {
            self.at_ident(&written[0], nth, hit);
        }
        self.walk(buffer.begin(), Mode::Code);
    }

    fn visit_attribute(&mut self, attr: &'ast Attribute) {
        // Doc comments are attributes to syn, comments to the lexer (`#[doc = include_str!(…)]`
        // is code).
        if attr.path().is_ident("doc") {
            if let Meta::NameValue(pair) = &attr.meta
                && !matches!(pair.value, Expr::Lit(_))
            {
                self.quiet_path(attr.path());
                self.visit_expr(&pair.value);
            }
            return;
        }
        let (written, nth) = self.quiet_path(attr.path());
        let name = match written.len() {
            1 => written[0].as_str(),
            _ => "",
        };
        if let Some(hit) = rules::attribute(name) {
            self.at_ident(name, nth, hit);
        }
        match &attr.meta {
            Meta::Path(_) => {}
            Meta::List(list) => {
                let names = rules::nests_attributes(name);
                walk_stream!(self, list.tokens, Mode::Attr { names });
            }
            Meta::NameValue(pair) => self.visit_expr(&pair.value),
        }
    }

    fn visit_item_use(&mut self, node: &'ast ItemUse) {
        node.attrs
            .iter()
            .for_each(|attr| self.visit_attribute(attr));
        self.visit_visibility(&node.vis);
        self.use_tree(&node.tree, &mut Vec::new(), None);
    }

    fn visit_item_extern_crate(&mut self, node: &'ast ItemExternCrate) {
        node.attrs
            .iter()
            .for_each(|attr| self.visit_attribute(attr));
        self.visit_visibility(&node.vis);
        let nth = self.note("extern");
        self.at_ident("extern", nth, rules::extern_crate(&node.ident.to_string()));
        self.visit_ident(&node.ident);
        if let Some((_, rename)) = &node.rename {
            self.visit_ident(rename);
        }
    }

    fn visit_item_foreign_mod(&mut self, node: &'ast ItemForeignMod) {
        node.attrs
            .iter()
            .for_each(|attr| self.visit_attribute(attr));
        let nth = self.peek("extern");
        self.visit_abi(&node.abi);
        let abi = node.abi.name.as_ref().map(LitStr::value);
        let names: Vec<String> = node
            .items
            .iter()
            .filter_map(|item| match item {
                ForeignItem::Fn(item) => Some(item.sig.ident.to_string()),
                ForeignItem::Static(item) => Some(item.ident.to_string()),
                _ => None,
            })
            .collect();
        self.at_ident("extern", nth, rules::extern_block(abi.as_deref(), &names));
        node.items
            .iter()
            .for_each(|item| self.visit_foreign_item(item));
    }

    fn visit_abi(&mut self, abi: &'ast Abi) {
        self.note("extern");
        visit::visit_abi(self, abi);
    }

    fn visit_lit_str(&mut self, lit: &'ast LitStr) {
        self.string(lit.token().to_string(), &lit.value());
    }

    fn visit_lit_byte_str(&mut self, lit: &'ast LitByteStr) {
        self.string(
            lit.token().to_string(),
            &String::from_utf8_lossy(&lit.value()),
        );
    }

    fn visit_lit_cstr(&mut self, lit: &'ast LitCStr) {
        self.string(lit.token().to_string(), &lit.value().to_string_lossy());
    }

    // What syn cannot represent it keeps as tokens.
    fn visit_item(&mut self, node: &'ast Item) {
        match node {
            Item::Verbatim(tokens) => walk_stream!(self, tokens, Mode::Code),
            _ => visit::visit_item(self, node),
        }
    }

    fn visit_expr(&mut self, node: &'ast Expr) {
        match node {
            Expr::Verbatim(tokens) => walk_stream!(self, tokens, Mode::Code),
            _ => visit::visit_expr(self, node),
        }
    }

    fn visit_foreign_item(&mut self, node: &'ast ForeignItem) {
        match node {
            ForeignItem::Verbatim(tokens) => walk_stream!(self, tokens, Mode::Code),
            _ => visit::visit_foreign_item(self, node),
        }
    }

    fn visit_impl_item(&mut self, node: &'ast ImplItem) {
        match node {
            ImplItem::Verbatim(tokens) => walk_stream!(self, tokens, Mode::Code),
            _ => visit::visit_impl_item(self, node),
        }
    }

    fn visit_trait_item(&mut self, node: &'ast TraitItem) {
        match node {
            TraitItem::Verbatim(tokens) => walk_stream!(self, tokens, Mode::Code),
            _ => visit::visit_trait_item(self, node),
        }
    }

    fn visit_type(&mut self, node: &'ast Type) {
        match node {
            Type::Verbatim(tokens) => walk_stream!(self, tokens, Mode::Code),
            _ => visit::visit_type(self, node),
        }
    }

    fn visit_pat(&mut self, node: &'ast Pat) {
        match node {
            Pat::Verbatim(tokens) => walk_stream!(self, tokens, Mode::Code),
            _ => visit::visit_pat(self, node),
        }
    }
}
