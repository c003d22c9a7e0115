//! Writing HTML text: escaping, and the tables every section is made of (sortable by a
//! `data-sort` value per cell, so figures in Persian digits sort as numbers).

use std::fmt::Write as _;

pub(super) use crate::text::escape_markup as esc;

/// One cell of a table: its text (already localised), how it sorts, and whether it is a
/// figure (aligned to the end) or code (ids, hashes: left to right, monospace).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Cell {
    pub(super) text: String,
    pub(super) sort: Option<String>,
    pub(super) kind: CellKind,
}

/// How a cell is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum CellKind {
    /// Running text in the page's language.
    Text,
    /// A figure: sorts by its value.
    Number,
    /// An id, a hash or a machine value: always left to right.
    Code,
}

impl Cell {
    /// Text in the page's language.
    pub(super) fn text(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            sort: None,
            kind: CellKind::Text,
        }
    }

    /// A figure shown as `text`, sorted by `value`.
    pub(super) fn number(text: impl Into<String>, value: f64) -> Cell {
        Cell {
            text: text.into(),
            sort: Some(format!("{value}")),
            kind: CellKind::Number,
        }
    }

    /// An id or machine value, left to right.
    pub(super) fn code(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            sort: None,
            kind: CellKind::Code,
        }
    }
}

/// A table: its id, its column headers, its rows (each with an optional row id), and
/// whether clicking a header sorts it.
#[derive(Debug, Clone, Default)]
pub(super) struct Table {
    pub(super) id: String,
    pub(super) head: Vec<String>,
    pub(super) rows: Vec<(Option<String>, Vec<Cell>)>,
    pub(super) sortable: bool,
}

impl Table {
    /// An empty table `id` with the headers `head`.
    pub(super) fn new(id: &str, head: Vec<String>) -> Table {
        Table {
            id: id.to_string(),
            head,
            rows: Vec::new(),
            sortable: false,
        }
    }

    /// The table as HTML, in a scrolling wrapper.
    pub(super) fn html(&self) -> String {
        let mut out = String::with_capacity(128 + self.rows.len() * 160);
        let class = if self.sortable {
            " class=\"sortable\""
        } else {
            ""
        };
        let _ = write!(
            out,
            "<div class=\"table-wrap\"><table id=\"{}\"{class}><thead><tr>",
            esc(&self.id)
        );
        for h in &self.head {
            if self.sortable {
                let _ = write!(
                    out,
                    "<th scope=\"col\"><button type=\"button\" class=\"sort\">{}</button></th>",
                    esc(h)
                );
            } else {
                let _ = write!(out, "<th scope=\"col\">{}</th>", esc(h));
            }
        }
        out.push_str("</tr></thead><tbody>\n");
        for (id, cells) in &self.rows {
            match id {
                Some(id) => {
                    let _ = write!(out, "<tr id=\"{}\">", esc(id));
                }
                None => out.push_str("<tr>"),
            }
            for c in cells {
                out.push_str(&cell_html(c));
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody></table></div>\n");
        out
    }
}

fn cell_html(c: &Cell) -> String {
    let class = match c.kind {
        CellKind::Text => " dir=\"auto\"",
        CellKind::Number => " class=\"num\"",
        CellKind::Code => " class=\"code\" dir=\"ltr\"",
    };
    let sort = c
        .sort
        .as_ref()
        .map_or(String::new(), |s| format!(" data-sort=\"{}\"", esc(s)));
    format!("<td{class}{sort}>{}</td>", esc(&c.text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            esc("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }

    #[test]
    fn tables_carry_sort_values_and_row_ids() {
        let mut t = Table::new("t", vec!["a".into(), "b".into()]);
        t.sortable = true;
        t.rows.push((
            Some("row-1".into()),
            vec![Cell::code("C-1"), Cell::number("۱٬۰۰۰", 1000.0)],
        ));
        let html = t.html();
        assert!(html.contains("<tr id=\"row-1\">"), "{html}");
        assert!(html.contains("data-sort=\"1000\">۱٬۰۰۰</td>"), "{html}");
        assert!(html.contains("class=\"sortable\""));
    }
}
