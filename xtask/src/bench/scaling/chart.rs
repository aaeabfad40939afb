//! The scaling study as a picture: speed-up over 1 thread against the thread count (log₂
//! axis), one line per (variant, size), the ideal min(t, cores) dashed, and a dashed vertical
//! marker at the core count. The legend sits in a panel of its own, right of the plot: with a
//! dozen lines it would hide some of them inside it.

use std::path::Path;

use anyhow::{Result, anyhow, bail};
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::table::Study;

/// Okabe–Ito colours (black kept for the ideal line), one per size: told apart by
/// colour-blind readers too. The variants differ by marker.
const COLOURS: [RGBColor; 7] = [
    RGBColor(230, 159, 0),   // orange
    RGBColor(86, 180, 233),  // sky blue
    RGBColor(0, 158, 115),   // bluish green
    RGBColor(0, 114, 178),   // blue
    RGBColor(213, 94, 0),    // vermillion
    RGBColor(204, 121, 167), // reddish purple
    RGBColor(240, 228, 66),  // yellow, last: the palest on white
];
const CORES_MARKER: RGBColor = RGBColor(120, 120, 120);

const WIDTH: u32 = 960;
const HEIGHT: u32 = 540;
const LEGEND_WIDTH: u32 = 250;
const LEGEND_ROW: i32 = 19;

/// One line of the chart.
struct Line {
    label: String,
    colour: RGBColor,
    /// Which marker: 0 a circle (the first variant), else a triangle.
    marker: usize,
    points: Vec<(f64, f64)>,
}

/// The chart's coordinates: threads on a log₂ axis, speed-up on a linear one.
type Coordinates = Cartesian2d<LogCoord<f64>, RangedCoordf64>;

/// Writes the chart of `study`'s speed-ups, one line per variant (in `variants`) and size.
pub fn write_svg(path: &Path, title: &str, study: &Study, variants: &[&str]) -> Result<()> {
    let failed = |error: &dyn std::fmt::Display| anyhow!("drawing {}: {error}", path.display());
    let lines = lines_of(study, variants);
    if lines.is_empty() {
        bail!(
            "no speed-ups to draw in {}: no size ran at 1 thread",
            path.display()
        );
    }
    let cores = study.cores.max(1) as f64;
    let most_threads = study.threads.iter().copied().max().unwrap_or(1).max(1) as f64;
    let highest = lines
        .iter()
        .flat_map(|line| line.points.iter().map(|&(_, s)| s))
        .fold(cores.min(most_threads), f64::max);
    let (x_low, x_high, y_high) = (0.85, most_threads * 1.18, highest * 1.15);

    let area = SVGBackend::new(path, (WIDTH, HEIGHT)).into_drawing_area();
    area.fill(&WHITE).map_err(|e| failed(&e))?;
    let (plot_area, legend_area) = area.split_horizontally(WIDTH - LEGEND_WIDTH);
    let mut chart = ChartBuilder::on(&plot_area)
        .caption(title, ("sans-serif", 17))
        .margin(14)
        .x_label_area_size(38)
        .y_label_area_size(48)
        .build_cartesian_2d((x_low..x_high).log_scale().base(2.0), 0.0..y_high)
        .map_err(|e| failed(&e))?;
    draw_axes(&mut chart, most_threads).map_err(|e| failed(&e))?;
    draw_cores_marker(&mut chart, study.cores, y_high).map_err(|e| failed(&e))?;
    draw_lines(&mut chart, &lines).map_err(|e| failed(&e))?;
    draw_ideal(&mut chart, most_threads, cores).map_err(|e| failed(&e))?;
    draw_legend(&legend_area, &lines).map_err(|e| failed(&e))?;
    area.present().map_err(|e| failed(&e))?;
    Ok(())
}

/// A line per variant and size that has speed-ups (a size never run at 1 thread has none):
/// the colour tells the size, the marker the variant.
fn lines_of(study: &Study, variants: &[&str]) -> Vec<Line> {
    let mut lines = Vec::new();
    for (marker, &variant) in variants.iter().enumerate() {
        for row in study.rows(variant) {
            let at = study.sizes.iter().position(|&s| s == row.size).unwrap_or(0);
            let points: Vec<(f64, f64)> = study
                .threads
                .iter()
                .zip(study.speed_ups(&row))
                .filter_map(|(&t, speed_up)| Some((t as f64, speed_up?)))
                .collect();
            if !points.is_empty() {
                lines.push(Line {
                    label: format!("{variant} · {}", row.size.pretty()),
                    colour: COLOURS[at % COLOURS.len()],
                    marker,
                    points,
                });
            }
        }
    }
    lines
}

/// The mesh, with a label at each power of two of the thread axis.
fn draw_axes<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Coordinates>,
    most_threads: f64,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    // Powers of two only: as many labels as there are, so that none lands in between.
    let powers = (most_threads.log2().floor() as usize) + 1;
    chart
        .configure_mesh()
        .light_line_style(TRANSPARENT) // minor lines between powers of two read as ticks
        .x_labels(powers)
        .x_label_formatter(&|t| format!("{t:.0}"))
        .x_desc("threads (log scale)")
        .y_desc("speed-up over 1 thread")
        .y_label_formatter(&|s| format!("{s:.1}"))
        .label_style(("sans-serif", 13))
        .draw()
}

/// A dashed vertical line at the core count, labelled.
fn draw_cores_marker<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Coordinates>,
    cores: usize,
    y_high: f64,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let at = cores.max(1) as f64;
    chart.draw_series(DashedLineSeries::new(
        [(at, 0.0), (at, y_high)],
        4,
        4,
        CORES_MARKER.stroke_width(2),
    ))?;
    let marker_font =
        TextStyle::from(("sans-serif", 13).into_font()).pos(Pos::new(HPos::Left, VPos::Top));
    chart.draw_series([Text::new(
        format!("{cores} cores"),
        (at * 1.03, y_high * 0.99),
        marker_font.color(&CORES_MARKER),
    )])?;
    Ok(())
}

/// Each line, with its marker at every point.
fn draw_lines<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Coordinates>,
    lines: &[Line],
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    for line in lines {
        let style = line.colour.stroke_width(line_width(line.marker));
        chart.draw_series(LineSeries::new(line.points.iter().copied(), style))?;
        let fill = line.colour.filled();
        for &point in &line.points {
            match line.marker {
                0 => chart.draw_series([Circle::new(point, 4, fill)]),
                _ => chart.draw_series([TriangleMarker::new(point, 6, fill)]),
            }?;
        }
    }
    Ok(())
}

/// The ideal, drawn last to stay visible over the lines: t times faster up to the core
/// count, then flat (extra threads only take turns).
fn draw_ideal<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Coordinates>,
    most_threads: f64,
    cores: f64,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let ideal = (0..=64).map(|i| {
        let t = most_threads.powf(f64::from(i) / 64.0);
        (t, t.min(cores))
    });
    chart.draw_series(DashedLineSeries::new(ideal, 7, 5, BLACK.stroke_width(2)))?;
    Ok(())
}

/// The second variant's lines are thinner: where both variants scale alike, the first one's
/// line still shows under the second's.
fn line_width(marker: usize) -> u32 {
    if marker == 0 { 3 } else { 1 }
}

/// The legend, a row per line, then the ideal and the core marker; pixel coordinates.
fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    lines: &[Line],
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let font =
        TextStyle::from(("sans-serif", 13).into_font()).pos(Pos::new(HPos::Left, VPos::Center));
    let (x0, x1) = (8, 40);
    let mut y = 52;
    for line in lines {
        area.draw(&PathElement::new(
            vec![(x0, y), (x1, y)],
            line.colour.stroke_width(line_width(line.marker)),
        ))?;
        let centre = ((x0 + x1) / 2, y);
        match line.marker {
            0 => area.draw(&Circle::new(centre, 4, line.colour.filled()))?,
            _ => area.draw(&TriangleMarker::new(centre, 6, line.colour.filled()))?,
        }
        area.draw(&Text::new(line.label.clone(), (x1 + 8, y), font.clone()))?;
        y += LEGEND_ROW;
    }
    y += LEGEND_ROW / 2;
    for (label, colour) in [
        ("ideal: min(t, cores)", BLACK),
        ("core count", CORES_MARKER),
    ] {
        for dash in [(x0, x0 + 9), (x0 + 14, x0 + 23), (x0 + 28, x1)] {
            area.draw(&PathElement::new(
                vec![(dash.0, y), (dash.1, y)],
                colour.stroke_width(2),
            ))?;
        }
        area.draw(&Text::new(label, (x1 + 8, y), font.clone()))?;
        y += LEGEND_ROW;
    }
    Ok(())
}
