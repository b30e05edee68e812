//! The measure registry against what users read: the README's table of
//! measures names every measure, with the registry's default target.

use keel::measure::{Better, Measure};

fn readme() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap()
}

#[test]
fn the_readme_lists_every_measure_with_its_default_target() {
    let text = readme();
    let rows: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.starts_with("## Measures"))
        .take_while(|l| !l.starts_with("## ") || l.starts_with("## Measures"))
        .filter(|l| l.starts_with("| `"))
        .collect();
    assert!(rows.len() > 10, "no measures table in the README");
    for m in Measure::ALL {
        let quoted = format!("`{}`", m.name());
        let row = rows
            .iter()
            .find(|r| r.split('|').nth(1).is_some_and(|c| c.contains(&quoted)))
            .unwrap_or_else(|| panic!("the README's measures table has no row for {m}"));
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        let target_cell = cells[cells.len() - 2];
        match m.entry().target {
            None => assert!(
                target_cell.is_empty(),
                "{m}: the README gives a target ({target_cell}) the registry lacks"
            ),
            Some(t) => {
                let value: f64 = target_cell
                    .split(',')
                    .next()
                    .and_then(|v| v.trim().parse().ok())
                    .unwrap_or_else(|| panic!("{m}: no target in the README ({target_cell})"));
                assert_eq!(value, t.value, "{m}: README target");
                let word = match m.entry().better {
                    Some(Better::Lower) => "lower",
                    Some(Better::Higher) => "higher",
                    None => panic!("{m}: a target without a direction"),
                };
                assert!(target_cell.contains(word), "{m}: README says {target_cell}");
            }
        }
    }
}

#[test]
fn every_measure_is_a_column_of_keel_metrics_in_the_registry_order() {
    assert_eq!(
        keel::metrics::METRICS.to_vec(),
        Measure::ALL.map(|m| m.name()).to_vec()
    );
}

#[test]
fn settings_default_targets_are_the_registry_targets() {
    let targets = keel::settings::default_targets();
    let with_target: Vec<Measure> = Measure::ALL
        .into_iter()
        .filter(|m| m.entry().target.is_some())
        .collect();
    assert_eq!(targets.len(), with_target.len());
    for m in with_target {
        let t = &targets[m.name()];
        assert_eq!(Some(t.value), m.entry().target.map(|t| t.value), "{m}");
        assert_eq!(Some(t.better), m.entry().better, "{m}");
    }
}
