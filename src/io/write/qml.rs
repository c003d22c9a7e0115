//! QGIS style files (`.qml`) for the plan's GeoJSON layers.
//!
//! QGIS applies a `.qml` file with the same base name as a layer automatically when the
//! layer is opened (`catchments.qml` beside `catchments.geojson`), so an analyst who drags
//! the plan folder into QGIS sees awarded catchments and gaps at a glance, the household
//! count of every catchment, the awarded sites and ideal centers, and what happened to each
//! proposal.
//!
//! The styles depend on the layers' fields (`status`, `kind`, `outcome`, `households`), not
//! on the plan, except for the language of the categories' legend labels: those come from
//! the `qml-` messages of the catalogues in the plan's language (the constants below hold
//! the English ones); the category values never change. Every style is a categorized renderer; symbol layer
//! properties are written as `<prop k="…" v="…"/>`, which every QGIS 3 reads (QGIS ≥ 3.18
//! writes `<Option>` maps but still reads `<prop>`), and everything not written takes QGIS's
//! default.

use crate::lang::Lang;
use crate::text::escape_markup;

/// Style of `catchments.geojson`: categorized on `status` — `awarded` is a semi-transparent
/// light green fill, `gap` a semi-transparent orange fill hatched in red with a red outline,
/// `existing` (an open center kept by a re-plan) a light blue fill —
/// and each catchment labelled with its `households` count (small, with a white halo).
pub const CATCHMENTS_QML: &str = r#"<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<!-- Style of catchments.geojson (written by siting); QGIS applies it when the layer is opened. -->
<qgis version="3.22.16" styleCategories="Symbology|Labeling" labelsEnabled="1">
  <renderer-v2 type="categorizedSymbol" attr="status" symbollevels="0" enableorderby="0" forceraster="0">
    <categories>
      <category value="awarded" label="Awarded" symbol="0" render="true"/>
      <category value="gap" label="Gap (no center)" symbol="1" render="true"/>
      <category value="existing" label="Existing center (re-plan)" symbol="2" render="true"/>
    </categories>
    <symbols>
      <symbol type="fill" name="0" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" locked="0" pass="0">
          <prop k="style" v="solid"/>
          <prop k="color" v="116,196,118,110"/>
          <prop k="outline_style" v="solid"/>
          <prop k="outline_color" v="49,120,60,255"/>
          <prop k="outline_width" v="0.26"/>
          <prop k="outline_width_unit" v="MM"/>
        </layer>
      </symbol>
      <symbol type="fill" name="1" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" locked="0" pass="0">
          <prop k="style" v="solid"/>
          <prop k="color" v="253,141,60,130"/>
          <prop k="outline_style" v="solid"/>
          <prop k="outline_color" v="215,48,31,255"/>
          <prop k="outline_width" v="0.4"/>
          <prop k="outline_width_unit" v="MM"/>
        </layer>
        <layer class="SimpleFill" enabled="1" locked="0" pass="0">
          <prop k="style" v="b_diagonal"/>
          <prop k="color" v="215,48,31,160"/>
          <prop k="outline_style" v="no"/>
        </layer>
      </symbol>
      <symbol type="fill" name="2" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" locked="0" pass="0">
          <prop k="style" v="solid"/>
          <prop k="color" v="107,174,214,110"/>
          <prop k="outline_style" v="solid"/>
          <prop k="outline_color" v="8,48,107,255"/>
          <prop k="outline_width" v="0.26"/>
          <prop k="outline_width_unit" v="MM"/>
        </layer>
      </symbol>
    </symbols>
  </renderer-v2>
  <labeling type="simple">
    <settings calloutType="simple">
      <text-style fieldName="households" isExpression="0" fontSize="8" fontSizeUnit="Point" fontWeight="50" textColor="40,40,40,255" textOpacity="1">
        <text-buffer bufferDraw="1" bufferSize="0.7" bufferSizeUnits="MM" bufferColor="255,255,255,255" bufferOpacity="0.85" bufferJoinStyle="128" bufferNoFill="1"/>
      </text-style>
      <placement placement="1" centroidInside="1" centroidWhole="0" quadOffset="4" dist="0" distUnits="MM" offsetUnits="MM" placementFlags="10" priority="5"/>
      <rendering drawLabels="1" obstacle="1" obstacleFactor="1" obstacleType="1" displayAll="0" upsidedownLabels="0" labelPerPart="0" mergeLines="0" minFeatureSize="0" limitNumLabels="0" maxNumLabels="2000" scaleVisibility="0" fontLimitPixelSize="0" fontMinPixelSize="0" fontMaxPixelSize="10000" zIndex="0"/>
    </settings>
  </labeling>
</qgis>
"#;

/// The renderer of [`catchments_replan_qml`] up to its symbols: a rule per `status` (the
/// fills of [`CATCHMENTS_QML`]'s categories, whose symbols it shares) and a rule per marked
/// `change`.
const REPLAN_RULES: &str = r#"  <renderer-v2 type="RuleRenderer" symbollevels="0" enableorderby="0" forceraster="0">
    <rules key="catchments">
      <rule key="awarded" filter="&quot;status&quot; = 'awarded'" label="Awarded" symbol="0"/>
      <rule key="gap" filter="&quot;status&quot; = 'gap'" label="Gap (no center)" symbol="1"/>
      <rule key="existing" filter="&quot;status&quot; = 'existing'" label="Existing center (re-plan)" symbol="2"/>
      <rule key="new" filter="&quot;change&quot; = 'new'" label="New catchment" symbol="3"/>
      <rule key="re_tender" filter="&quot;change&quot; = 're_tender'" label="To re-tender" symbol="4"/>
    </rules>
"#;

/// The symbols of the marked changes (after [`CATCHMENTS_QML`]'s three): violet outlines of
/// long dashes (`new`) and of dots (`re_tender`), line symbol layers with custom dashes in
/// millimetres, as `map.svg` marks them.
const CHANGE_SYMBOLS: &str = r#"      <symbol type="fill" name="3" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleLine" enabled="1" locked="0" pass="0">
          <prop k="line_style" v="solid"/>
          <prop k="line_color" v="58,12,163,255"/>
          <prop k="line_width" v="0.8"/>
          <prop k="line_width_unit" v="MM"/>
          <prop k="use_custom_dash" v="1"/>
          <prop k="customdash" v="4;2"/>
          <prop k="customdash_unit" v="MM"/>
          <prop k="capstyle" v="flat"/>
          <prop k="joinstyle" v="round"/>
        </layer>
      </symbol>
      <symbol type="fill" name="4" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleLine" enabled="1" locked="0" pass="0">
          <prop k="line_style" v="solid"/>
          <prop k="line_color" v="58,12,163,255"/>
          <prop k="line_width" v="0.8"/>
          <prop k="line_width_unit" v="MM"/>
          <prop k="use_custom_dash" v="1"/>
          <prop k="customdash" v="0.01;1.6"/>
          <prop k="customdash_unit" v="MM"/>
          <prop k="capstyle" v="round"/>
          <prop k="joinstyle" v="round"/>
        </layer>
      </symbol>
"#;

/// Style of a re-plan's `catchments.geojson`: [`CATCHMENTS_QML`] with its categories on
/// `status` turned into rules (same fills), and over them the outlines of the map's marks
/// on `change` — violet long dashes for a `new` catchment, dots for one `re_tender` — as a
/// rule-based renderer, in which every rule that matches draws, so a new catchment shows
/// its status fill and its mark. The labels are the plain style's.
pub fn catchments_replan_qml() -> String {
    let (head, rest) = CATCHMENTS_QML
        .split_once("  <renderer-v2")
        .expect("the style has a renderer");
    let (_, symbols) = rest
        .split_once("    <symbols>")
        .expect("the renderer has symbols");
    let (symbols, tail) = symbols
        .split_once("    </symbols>")
        .expect("the symbols end");
    let head = head.replace(
        "Style of catchments.geojson (written",
        "Style of catchments.geojson of a re-plan (written",
    );
    format!("{head}{REPLAN_RULES}    <symbols>{symbols}{CHANGE_SYMBOLS}    </symbols>{tail}")
}

/// Style of `centers.geojson`: categorized on `kind` — `awarded_site` is a filled dark green
/// star, `ideal_center` (a gap's ideal center) a hollow red circle, `existing` (an open
/// center kept by a re-plan) a dark blue square.
pub const CENTERS_QML: &str = r#"<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<!-- Style of centers.geojson (written by siting); QGIS applies it when the layer is opened. -->
<qgis version="3.22.16" styleCategories="Symbology|Labeling" labelsEnabled="0">
  <renderer-v2 type="categorizedSymbol" attr="kind" symbollevels="0" enableorderby="0" forceraster="0">
    <categories>
      <category value="awarded_site" label="Awarded site" symbol="0" render="true"/>
      <category value="ideal_center" label="Ideal center (gap, no site awarded)" symbol="1" render="true"/>
      <category value="existing" label="Existing center (kept by the re-plan)" symbol="2" render="true"/>
    </categories>
    <symbols>
      <symbol type="marker" name="0" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
          <prop k="name" v="star"/>
          <prop k="color" v="0,109,44,255"/>
          <prop k="outline_style" v="solid"/>
          <prop k="outline_color" v="255,255,255,255"/>
          <prop k="outline_width" v="0.4"/>
          <prop k="outline_width_unit" v="MM"/>
          <prop k="size" v="5"/>
          <prop k="size_unit" v="MM"/>
        </layer>
      </symbol>
      <symbol type="marker" name="1" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
          <prop k="name" v="circle"/>
          <prop k="color" v="255,255,255,0"/>
          <prop k="outline_style" v="solid"/>
          <prop k="outline_color" v="215,48,31,255"/>
          <prop k="outline_width" v="0.8"/>
          <prop k="outline_width_unit" v="MM"/>
          <prop k="size" v="4"/>
          <prop k="size_unit" v="MM"/>
        </layer>
      </symbol>
      <symbol type="marker" name="2" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
          <prop k="name" v="square"/>
          <prop k="color" v="8,48,107,255"/>
          <prop k="outline_style" v="solid"/>
          <prop k="outline_color" v="255,255,255,255"/>
          <prop k="outline_width" v="0.4"/>
          <prop k="outline_width_unit" v="MM"/>
          <prop k="size" v="4"/>
          <prop k="size_unit" v="MM"/>
        </layer>
      </symbol>
    </symbols>
  </renderer-v2>
</qgis>
"#;

/// Style of `proposals.geojson`: categorized on `outcome` — `awarded` is a strong blue ring
/// (drawn around the awarded site's star of `centers`), every other outcome a small, faint
/// grey marker of its own shape.
pub const PROPOSALS_QML: &str = r#"<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<!-- Style of proposals.geojson (written by siting); QGIS applies it when the layer is opened. -->
<qgis version="3.22.16" styleCategories="Symbology|Labeling" labelsEnabled="0">
  <renderer-v2 type="categorizedSymbol" attr="outcome" symbollevels="0" enableorderby="0" forceraster="0">
    <categories>
      <category value="awarded" label="Awarded" symbol="0" render="true"/>
      <category value="outside_plan_area" label="Outside the plan area" symbol="1" render="true"/>
      <category value="below_min_efficiency" label="Below the minimum efficiency" symbol="2" render="true"/>
      <category value="catchment_taken" label="Catchment went to another applicant" symbol="3" render="true"/>
      <category value="same_catchment" label="Applicant already awarded this catchment" symbol="4" render="true"/>
      <category value="not_needed" label="Applicant already has its maximum of centers" symbol="5" render="true"/>
      <category value="not_chosen" label="Not chosen by the optimal award" symbol="6" render="true"/>
      <category value="ineligible" label="Applicant ineligible" symbol="7" render="true"/>
      <category value="served_already" label="Catchment served already by an open center" symbol="8" render="true"/>
    </categories>
    <symbols>
      <symbol type="marker" name="0" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
          <prop k="name" v="circle"/>
          <prop k="color" v="255,255,255,0"/>
          <prop k="outline_style" v="solid"/>
          <prop k="outline_color" v="8,81,156,255"/>
          <prop k="outline_width" v="0.7"/>
          <prop k="outline_width_unit" v="MM"/>
          <prop k="size" v="3.6"/>
          <prop k="size_unit" v="MM"/>
        </layer>
      </symbol>
      <symbol type="marker" name="1" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
          <prop k="name" v="cross2"/>
          <prop k="color" v="120,120,120,200"/>
          <prop k="outline_style" v="solid"/>
          <prop k="outline_color" v="120,120,120,200"/>
          <prop k="outline_width" v="0.3"/>
          <prop k="outline_width_unit" v="MM"/>
          <prop k="size" v="2"/>
          <prop k="size_unit" v="MM"/>
        </layer>
      </symbol>
      <symbol type="marker" name="2" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
          <prop k="name" v="circle"/>
          <prop k="color" v="150,150,150,160"/>
          <prop k="outline_style" v="no"/>
          <prop k="size" v="1.6"/>
          <prop k="size_unit" v="MM"/>
        </layer>
      </symbol>
      <symbol type="marker" name="3" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
          <prop k="name" v="triangle"/>
          <prop k="color" v="130,130,130,160"/>
          <prop k="outline_style" v="no"/>
          <prop k="size" v="1.8"/>
          <prop k="size_unit" v="MM"/>
        </layer>
      </symbol>
      <symbol type="marker" name="4" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
          <prop k="name" v="square"/>
          <prop k="color" v="170,170,170,160"/>
          <prop k="outline_style" v="no"/>
          <prop k="size" v="1.5"/>
          <prop k="size_unit" v="MM"/>
        </layer>
      </symbol>
      <symbol type="marker" name="5" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
          <prop k="name" v="diamond"/>
          <prop k="color" v="140,140,140,160"/>
          <prop k="outline_style" v="no"/>
          <prop k="size" v="1.8"/>
          <prop k="size_unit" v="MM"/>
        </layer>
      </symbol>
      <symbol type="marker" name="6" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
          <prop k="name" v="circle"/>
          <prop k="color" v="255,255,255,0"/>
          <prop k="outline_style" v="solid"/>
          <prop k="outline_color" v="130,130,130,200"/>
          <prop k="outline_width" v="0.3"/>
          <prop k="outline_width_unit" v="MM"/>
          <prop k="size" v="1.8"/>
          <prop k="size_unit" v="MM"/>
        </layer>
      </symbol>
      <symbol type="marker" name="7" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
          <prop k="name" v="cross"/>
          <prop k="color" v="160,160,160,200"/>
          <prop k="outline_style" v="solid"/>
          <prop k="outline_color" v="160,160,160,200"/>
          <prop k="outline_width" v="0.3"/>
          <prop k="outline_width_unit" v="MM"/>
          <prop k="size" v="1.8"/>
          <prop k="size_unit" v="MM"/>
        </layer>
      </symbol>
      <symbol type="marker" name="8" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
          <prop k="name" v="diagonal_half_square"/>
          <prop k="color" v="160,160,160,200"/>
          <prop k="outline_style" v="solid"/>
          <prop k="outline_color" v="160,160,160,200"/>
          <prop k="outline_width" v="0.3"/>
          <prop k="outline_width_unit" v="MM"/>
          <prop k="size" v="1.8"/>
          <prop k="size_unit" v="MM"/>
        </layer>
      </symbol>
    </symbols>
  </renderer-v2>
</qgis>
"#;

/// The style files of a plan: (file name, contents), e.g. `("catchments.qml", …)`, to write
/// beside the layers of the same base name, with legend labels in `lang`. `proposals.qml`
/// is included only when `with_proposals` (the plan has applicants and so a
/// `proposals.geojson`); a re-plan's catchments (`replan`) get [`catchments_replan_qml`],
/// which marks new catchments and those to re-tender.
pub fn styles(with_proposals: bool, replan: bool, lang: Lang) -> Vec<(&'static str, String)> {
    let catchments = if replan {
        labelled(&catchments_replan_qml(), "catchments", lang)
    } else {
        labelled(CATCHMENTS_QML, "catchments", lang)
    };
    let mut styles = vec![
        ("catchments.qml", catchments),
        ("centers.qml", labelled(CENTERS_QML, "centers", lang)),
    ];
    if with_proposals {
        styles.push(("proposals.qml", labelled(PROPOSALS_QML, "proposals", lang)));
    }
    styles
}

/// `qml` with every category's or rule's legend label in `lang`: the message
/// `qml-<layer>-<value>` (the value with `_` written `-`; a rule's value is its key).
fn labelled(qml: &str, layer: &str, lang: Lang) -> String {
    qml.split_inclusive('\n')
        .map(|line| relabel(line, layer, lang).unwrap_or_else(|| line.to_string()))
        .collect()
}

/// A `<category value="…" label="…" …/>` or `<rule key="…" … label="…" …/>` line with its
/// label in `lang`, XML-escaped; `None` for any other line.
fn relabel(line: &str, layer: &str, lang: Lang) -> Option<String> {
    let value = line
        .split_once("<category value=\"")
        .or_else(|| line.split_once("<rule key=\""))?
        .1
        .split_once('"')?
        .0;
    let (head, after) = line.split_once(" label=\"")?;
    let tail = after.split_once('"')?.1;
    let id = format!("qml-{layer}-{}", value.replace('_', "-"));
    Some(format!(
        "{head} label=\"{}\"{tail}",
        escape_markup(&lang.tr(&id))
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Lang;
    use crate::sites::award::ProposalStatus;

    /// Parses a style as XML (with its `<!DOCTYPE qgis …>`), panicking when malformed.
    fn parse(qml: &str) -> roxmltree::Document<'_> {
        let options = roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        };
        roxmltree::Document::parse_with_options(qml, options).expect("well-formed XML")
    }

    /// The renderer of a style, of type `kind`: its `attr` attribute (if any) and, for each
    /// `tag` element in it, the attributes `names` (the last one `symbol`), each entry
    /// referring to its own symbol in order (QGIS takes each symbol once).
    fn entries(
        qml: &str,
        kind: &str,
        tag: &str,
        names: &[&str],
    ) -> (Option<String>, Vec<Vec<String>>) {
        let doc = parse(qml);
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "qgis");
        let renderer = root
            .children()
            .find(|n| n.has_tag_name("renderer-v2"))
            .expect("a renderer");
        assert_eq!(renderer.attribute("type"), Some(kind));
        let entries = renderer
            .descendants()
            .filter(|n| n.has_tag_name(tag))
            .map(|e| {
                names
                    .iter()
                    .map(|&a| e.attribute(a).expect("entry attribute").to_string())
                    .collect::<Vec<_>>()
            })
            .collect::<Vec<_>>();
        let symbols = renderer
            .descendants()
            .filter(|n| n.has_tag_name("symbol"))
            .map(|s| s.attribute("name").expect("symbol name").to_string())
            .collect::<Vec<_>>();
        let referred = entries
            .iter()
            .map(|e| e.last().expect("a symbol attribute").clone())
            .collect::<Vec<_>>();
        assert_eq!(symbols, referred);
        (renderer.attribute("attr").map(str::to_string), entries)
    }

    /// The categorized renderer of a style: (class attribute, [(value, label, symbol)]).
    fn categories(qml: &str) -> (String, Vec<(String, String, String)>) {
        let (attr, entries) = entries(
            qml,
            "categorizedSymbol",
            "category",
            &["value", "label", "symbol"],
        );
        let cats = entries
            .into_iter()
            .map(|e| (e[0].clone(), e[1].clone(), e[2].clone()))
            .collect::<Vec<_>>();
        for c in &cats {
            assert!(!c.1.is_empty(), "category {} has no label", c.0);
        }
        (attr.expect("a class attribute"), cats)
    }

    fn values(cats: &[(String, String, String)]) -> Vec<&str> {
        cats.iter().map(|c| c.0.as_str()).collect()
    }

    #[test]
    fn catchments_style_is_categorized_on_status_with_household_labels() {
        let (attr, cats) = categories(CATCHMENTS_QML);
        assert_eq!(attr, "status");
        assert_eq!(values(&cats), ["awarded", "gap", "existing"]);
        assert_eq!(cats[1].1, "Gap (no center)");

        let doc = parse(CATCHMENTS_QML);
        assert_eq!(doc.root_element().attribute("labelsEnabled"), Some("1"));
        let text = doc
            .descendants()
            .find(|n| n.has_tag_name("text-style"))
            .expect("labeling text style");
        assert_eq!(text.attribute("fieldName"), Some("households"));
        assert_eq!(text.attribute("isExpression"), Some("0"));
        let buffer = text
            .children()
            .find(|n| n.has_tag_name("text-buffer"))
            .expect("a halo");
        assert_eq!(buffer.attribute("bufferDraw"), Some("1"));
    }

    /// The rules of a rule-based style: (key, filter, label, symbol), each symbol used once.
    fn rules(qml: &str) -> Vec<(String, String, String, String)> {
        let (_, entries) = entries(
            qml,
            "RuleRenderer",
            "rule",
            &["key", "filter", "label", "symbol"],
        );
        entries
            .into_iter()
            .map(|e| (e[0].clone(), e[1].clone(), e[2].clone(), e[3].clone()))
            .collect()
    }

    #[test]
    fn a_replans_catchments_style_marks_new_catchments_and_those_to_re_tender() {
        let all = styles(true, true, Lang::En);
        assert_eq!(all[0].0, "catchments.qml");
        let replan = catchments_replan_qml();
        assert_eq!(all[0].1, replan);
        let rules = rules(&replan);
        let filters: Vec<(&str, &str)> =
            rules.iter().map(|r| (r.0.as_str(), r.1.as_str())).collect();
        // The status fills of the plain style, then the change marks over them: every
        // status of the plain style has its rule, and the change values are the layer's.
        let (_, cats) = categories(CATCHMENTS_QML);
        let mut expected: Vec<(String, String)> = cats
            .iter()
            .map(|c| (c.0.clone(), format!(r#""status" = '{}'"#, c.0)))
            .collect();
        for change in [crate::plan::Change::New, crate::plan::Change::ReTender] {
            let name = change.name();
            expected.push((name.to_string(), format!(r#""change" = '{name}'"#)));
        }
        let expected: Vec<(&str, &str)> = expected
            .iter()
            .map(|(k, f)| (k.as_str(), f.as_str()))
            .collect();
        assert_eq!(filters, expected);
        assert_eq!(rules[3].2, "New catchment");
        assert_eq!(rules[4].2, "To re-tender");
        // The marks are outlines only, so the status fill shows through.
        let doc = parse(&replan);
        for name in ["3", "4"] {
            let symbol = doc
                .descendants()
                .find(|n| n.has_tag_name("symbol") && n.attribute("name") == Some(name))
                .expect("the mark's symbol");
            let classes: Vec<&str> = symbol
                .children()
                .filter(|n| n.has_tag_name("layer"))
                .filter_map(|n| n.attribute("class"))
                .collect();
            assert_eq!(classes, ["SimpleLine"], "symbol {name}");
        }
        // Same labelling as the plain style.
        let tail = |q: &str| q[q.find("<labeling").unwrap()..].to_string();
        assert_eq!(tail(&replan), tail(CATCHMENTS_QML));
        // Persian labels, same rules otherwise.
        let fa = styles(true, true, Lang::Fa);
        let fa_rules = super::tests::rules(&fa[0].1);
        for (en, fa) in rules.iter().zip(&fa_rules) {
            assert_eq!((&en.0, &en.1, &en.3), (&fa.0, &fa.1, &fa.3));
            assert!(crate::lang::has_rtl(&fa.2), "{}: {}", fa.0, fa.2);
        }
        // The other layers' styles are those of a plan.
        assert_eq!(all[1..], styles(true, false, Lang::En)[1..]);
    }

    #[test]
    fn centers_style_is_categorized_on_kind() {
        let (attr, cats) = categories(CENTERS_QML);
        assert_eq!(attr, "kind");
        assert_eq!(values(&cats), ["awarded_site", "ideal_center", "existing"]);
    }

    #[test]
    fn proposals_style_has_a_category_for_every_outcome() {
        let (attr, cats) = categories(PROPOSALS_QML);
        assert_eq!(attr, "outcome");
        let all = [
            ProposalStatus::Awarded,
            ProposalStatus::OutsidePlanArea,
            ProposalStatus::BelowMinEfficiency,
            ProposalStatus::CatchmentTaken { by: 0 },
            ProposalStatus::SameCatchment,
            ProposalStatus::NotNeeded,
            ProposalStatus::NotChosen,
            ProposalStatus::Ineligible,
            ProposalStatus::Served,
        ];
        // Fails to compile when an outcome is added: give it a category above.
        for status in all {
            match status {
                ProposalStatus::Awarded
                | ProposalStatus::OutsidePlanArea
                | ProposalStatus::BelowMinEfficiency
                | ProposalStatus::CatchmentTaken { .. }
                | ProposalStatus::SameCatchment
                | ProposalStatus::NotNeeded
                | ProposalStatus::NotChosen
                | ProposalStatus::Ineligible
                | ProposalStatus::Served => {}
            }
        }
        let names = all.map(ProposalStatus::name);
        assert_eq!(values(&cats), names);
        assert_eq!(cats[1].1, "Outside the plan area");
    }

    #[test]
    fn styles_match_the_layer_names() {
        let with = styles(true, false, Lang::En);
        assert_eq!(with.len(), 3);
        for (name, qml) in &with {
            let layer = name.strip_suffix(".qml").unwrap();
            assert!(qml.contains(&format!("Style of {layer}.geojson")));
            assert!(qml.starts_with("<!DOCTYPE qgis"));
        }
        let without = styles(false, false, Lang::En);
        assert_eq!(without, with[..2]);
    }

    #[test]
    fn english_styles_are_the_constants() {
        let all = styles(true, false, Lang::En);
        assert_eq!(all[0].1, CATCHMENTS_QML);
        assert_eq!(all[1].1, CENTERS_QML);
        assert_eq!(all[2].1, PROPOSALS_QML);
    }

    #[test]
    fn persian_styles_have_persian_labels_and_the_same_values() {
        let en = styles(true, false, Lang::En);
        let fa = styles(true, false, Lang::Fa);
        for ((name, en), (_, fa)) in en.iter().zip(&fa) {
            let (en_attr, en_cats) = categories(en);
            let (fa_attr, fa_cats) = categories(fa);
            assert_eq!(en_attr, fa_attr, "{name}");
            assert_eq!(values(&en_cats), values(&fa_cats), "{name}");
            for (value, label, _) in &fa_cats {
                assert!(crate::lang::has_rtl(label), "{name} {value}: {label}");
                assert!(!label.starts_with("qml-"), "{name} {value}: no message");
            }
            // Only the labels differ.
            assert_eq!(en.lines().count(), fa.lines().count());
        }
        let (_, cats) = categories(&fa[0].1);
        assert_eq!(cats[1].1, "حوزهٔ بی‌مرکز");
    }

    #[test]
    fn labels_are_escaped() {
        assert_eq!(
            escape_markup(r#"a "b" & <c> 'd'"#),
            "a &quot;b&quot; &amp; &lt;c&gt; &#39;d&#39;"
        );
        let line = r#"      <category value="gap" label="Gap" symbol="1" render="true"/>"#;
        let out = relabel(line, "catchments", Lang::En).unwrap();
        assert_eq!(out, line.replace(r#""Gap""#, r#""Gap (no center)""#));
        assert_eq!(relabel("<symbols>", "catchments", Lang::En), None);
    }
}

#[cfg(test)]
mod examples {
    use super::*;
    use crate::lang::Lang;

    #[test]
    fn styles_per_layer() {
        let all = styles(true, false, Lang::En);
        let names: Vec<&str> = all.iter().map(|(name, _)| *name).collect();
        assert_eq!(names, ["catchments.qml", "centers.qml", "proposals.qml"]);
        assert!(all[0].1.contains(r#"attr="status""#));
        assert_eq!(styles(false, false, Lang::Fa).len(), 2);
    }
}
