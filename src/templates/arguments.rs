//! The arguments a shortcode template takes: the variables it reads that
//! nothing defines (not `site`, `service`, a loop variable or a `set`), read
//! from the compiled template, so that a theme's own shortcodes are covered.

use std::collections::BTreeSet;

use tera::ast::{Expr, ExprVal, Node};

use super::Theme;

/// Variables every template gets from the generator, never arguments.
const PROVIDED: [&str; 4] = ["site", "service", "loop", "page"];

impl Theme {
    /// The argument names `template` reads, sorted; empty if it has none
    /// (or is not there).
    pub(crate) fn template_arguments(&self, template: &str) -> Vec<String> {
        let Ok(t) = self.tera.get_template(template) else {
            return Vec::new();
        };
        let mut names = Names::default();
        names.nodes(&t.ast);
        names
            .read
            .into_iter()
            .filter(|n| !names.bound.contains(n) && !PROVIDED.contains(&n.as_str()))
            .collect()
    }
}

#[derive(Default)]
struct Names {
    read: BTreeSet<String>,
    bound: BTreeSet<String>,
}

impl Names {
    fn nodes(&mut self, nodes: &[Node]) {
        for node in nodes {
            self.node(node);
        }
    }

    fn node(&mut self, node: &Node) {
        match node {
            Node::VariableBlock(_, e) => self.expr(e),
            Node::MacroDefinition(_, m, _) => {
                self.bound.extend(m.args.keys().cloned());
                self.nodes(&m.body);
            }
            Node::Set(_, s) => {
                self.bound.insert(s.key.clone());
                self.expr(&s.value);
            }
            Node::FilterSection(_, f, _) => {
                f.filter.args.values().for_each(|e| self.expr(e));
                self.nodes(&f.body);
            }
            Node::Block(_, b, _) => self.nodes(&b.body),
            Node::Forloop(_, f, _) => {
                self.bound.extend(f.key.iter().cloned());
                self.bound.insert(f.value.clone());
                self.expr(&f.container);
                self.nodes(&f.body);
                if let Some(empty) = &f.empty_body {
                    self.nodes(empty);
                }
            }
            Node::If(i, _) => {
                for (_, condition, body) in &i.conditions {
                    self.expr(condition);
                    self.nodes(body);
                }
                if let Some((_, body)) = &i.otherwise {
                    self.nodes(body);
                }
            }
            _ => {}
        }
    }

    fn expr(&mut self, e: &Expr) {
        self.value(&e.val);
        for f in &e.filters {
            f.args.values().for_each(|a| self.expr(a));
        }
    }

    fn value(&mut self, v: &ExprVal) {
        match v {
            ExprVal::Ident(path) => self.path(path),
            ExprVal::Math(m) => {
                self.expr(&m.lhs);
                self.expr(&m.rhs);
            }
            ExprVal::Logic(l) => {
                self.expr(&l.lhs);
                self.expr(&l.rhs);
            }
            ExprVal::Test(t) => {
                self.path(&t.ident);
                t.args.iter().for_each(|a| self.expr(a));
            }
            ExprVal::MacroCall(m) => m.args.values().for_each(|a| self.expr(a)),
            ExprVal::FunctionCall(f) => f.args.values().for_each(|a| self.expr(a)),
            ExprVal::Array(items) => items.iter().for_each(|a| self.expr(a)),
            ExprVal::StringConcat(s) => s.values.iter().for_each(|v| self.value(v)),
            ExprVal::In(i) => {
                self.expr(&i.lhs);
                self.expr(&i.rhs);
            }
            _ => {}
        }
    }

    /// `a.b[c].d` reads `a` and `c`.
    fn path(&mut self, path: &str) {
        let root_end = path.find(['.', '[']).unwrap_or(path.len());
        self.read.insert(path[..root_end].to_string());
        for inside in path.split('[').skip(1) {
            let inner = inside.split(']').next().unwrap_or("");
            let starts_like_name = inner.starts_with(|c: char| c.is_alphabetic() || c == '_');
            if starts_like_name {
                self.path(inner);
            }
        }
    }
}
