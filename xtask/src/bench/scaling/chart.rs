//! The scaling study as a picture, in small multiples: one panel per variant, each with its
//! speed-up over 1 thread against the thread count (log₂ axis), one line per size, the ideal
//! min(t, cores) dashed, and a dashed vertical marker at the core count. The panels share
//! their axes, so that the variants compare at a glance; each has its legend on its right.
//!
//! Drawn for the book's column (750 CSS px on a desktop, [`super::super::chart::WIDTH`]), on an
//! opaque white background (the book has dark themes), text 12 px or more.

use std::path::Path;

use anyhow::{Result, anyhow, bail};
use plotters::coord::types::RangedCoordf64;
use plotters::coord::{CoordTranslate, Shift};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::super::chart::{WIDTH, font};
use super::table::Study;

/// Okabe–Ito colours (black kept for the ideal line), one per size, told apart by
/// colour-blind readers too; each size has its own marker as well.
const COLOURS: [RGBColor; 7] = [
    RGBColor(230, 159, 0),   // orange
    RGBColor(86, 180, 233),  // sky blue
    RGBColor(0, 158, 115),   // bluish green
    RGBColor(0, 114, 178),   // blue
    RGBColor(213, 94, 0),    // vermillion
    RGBColor(204, 121, 167), // reddish purple
    RGBColor(240, 228, 66),  // yellow, last: the palest on white
];
const CORES_MARKER: RGBColor = RGBColor(110, 110, 110);

const TITLE_HEIGHT: u32 = 36;
const PANEL_HEIGHT: u32 = 290;
const LEGEND_WIDTH: u32 = 180;
const LEGEND_ROW: i32 = 20;
/// Text sizes in CSS px.
const TEXT_PX: f64 = 12.0;
const TITLE_PX: f64 = 15.0;

/// One line of a panel: one size.
struct Line {
    label: String,
    /// Which size, in the study's order: picks the colour and the marker.
    at: usize,
    points: Vec<(f64, f64)>,
}

/// The chart's coordinates: threads on a log₂ axis, speed-up on a linear one.
type Coordinates = Cartesian2d<LogCoord<f64>, RangedCoordf64>;

/// The axes all panels share.
struct Axes {
    most_threads: f64,
    cores: usize,
    y_high: f64,
}

/// Writes the chart of `study`'s speed-ups: a panel per variant (in `variants`) that has any.
pub fn write_svg(path: &Path, title: &str, study: &Study, variants: &[&str]) -> Result<()> {
    let failed = |error: &dyn std::fmt::Display| anyhow!("drawing {}: {error}", path.display());
    let panels: Vec<(&str, Vec<Line>)> = variants
        .iter()
        .map(|&variant| (variant, lines_of(study, variant)))
        .filter(|(_, lines)| !lines.is_empty())
        .collect();
    if panels.is_empty() {
        bail!(
            "no speed-ups to draw in {}: no size ran at 1 thread",
            path.display()
        );
    }
    let cores = study.cores.max(1);
    let most_threads = study.threads.iter().copied().max().unwrap_or(1).max(1) as f64;
    let highest = panels
        .iter()
        .flat_map(|(_, lines)| {
            lines
                .iter()
                .flat_map(|line| line.points.iter().map(|&(_, s)| s))
        })
        .fold((cores as f64).min(most_threads), f64::max);
    let axes = Axes {
        most_threads,
        cores,
        y_high: highest * 1.15,
    };

    let height = TITLE_HEIGHT + PANEL_HEIGHT * panels.len() as u32;
    let area = SVGBackend::new(path, (WIDTH, height)).into_drawing_area();
    area.fill(&WHITE).map_err(|e| failed(&e))?;
    let area = area
        .titled(title, ("sans-serif", font(TITLE_PX)))
        .map_err(|e| failed(&e))?;
    for ((variant, lines), panel) in panels.iter().zip(area.split_evenly((panels.len(), 1))) {
        draw_panel(&panel, variant, lines, &axes).map_err(|e| failed(&e))?;
    }
    area.present().map_err(|e| failed(&e))?;
    Ok(())
}

/// One variant's panel: its plot, and its legend on the right.
fn draw_panel<DB: DrawingBackend>(
    panel: &DrawingArea<DB, Shift>,
    variant: &str,
    lines: &[Line],
    axes: &Axes,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let (plot_area, legend_area) = panel.split_horizontally(WIDTH - LEGEND_WIDTH);
    let mut chart = ChartBuilder::on(&plot_area)
        .caption(variant, ("sans-serif", font(TITLE_PX)))
        .margin(10)
        .x_label_area_size(40)
        .y_label_area_size(52)
        .build_cartesian_2d(
            (0.85..axes.most_threads * 1.18).log_scale().base(2.0),
            0.0..axes.y_high,
        )?;
    draw_axes(&mut chart, axes.most_threads)?;
    draw_cores_marker(&mut chart, axes.cores, axes.y_high)?;
    draw_lines(&mut chart, lines)?;
    draw_ideal(&mut chart, axes.most_threads, axes.cores as f64)?;
    draw_legend(&legend_area, lines)
}

/// A line per size of `variant` that has speed-ups (a size never run at 1 thread has none).
fn lines_of(study: &Study, variant: &str) -> Vec<Line> {
    let mut lines = Vec::new();
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
                label: row.size.pretty(),
                at,
                points,
            });
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
        .label_style(("sans-serif", font(TEXT_PX)))
        .axis_desc_style(("sans-serif", font(TEXT_PX)))
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
    let marker_font = TextStyle::from(("sans-serif", font(TEXT_PX)).into_font())
        .pos(Pos::new(HPos::Left, VPos::Top));
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
        let colour = colour(line.at);
        chart.draw_series(LineSeries::new(
            line.points.iter().copied(),
            colour.stroke_width(2),
        ))?;
        for &point in &line.points {
            draw_marker(chart.plotting_area(), line.at, point, colour)?;
        }
    }
    Ok(())
}

fn colour(at: usize) -> RGBColor {
    COLOURS[at % COLOURS.len()]
}

/// Draws the marker of the size at `at`, centred on `point`: a circle, a triangle, a square
/// or a cross, so that sizes differ by shape as well as colour.
fn draw_marker<DB: DrawingBackend, CT: CoordTranslate>(
    area: &DrawingArea<DB, CT>,
    at: usize,
    point: CT::From,
    colour: RGBColor,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let fill = colour.filled();
    match at % 4 {
        0 => area.draw(&Circle::new(point, 4, fill)),
        1 => area.draw(&TriangleMarker::new(point, 6, fill)),
        2 => area.draw(&(EmptyElement::at(point) + Rectangle::new([(-4, -4), (4, 4)], fill))),
        _ => area.draw(&Cross::new(point, 5, colour.stroke_width(2))),
    }
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

/// The legend, a row per size, then the ideal and the core marker; pixel coordinates.
fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    lines: &[Line],
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let text = TextStyle::from(("sans-serif", font(TEXT_PX)).into_font())
        .pos(Pos::new(HPos::Left, VPos::Center));
    let (x0, x1) = (4, 34);
    let mut y = 44;
    for line in lines {
        let colour = colour(line.at);
        area.draw(&PathElement::new(
            vec![(x0, y), (x1, y)],
            colour.stroke_width(2),
        ))?;
        draw_marker(area, line.at, ((x0 + x1) / 2, y), colour)?;
        area.draw(&Text::new(line.label.clone(), (x1 + 8, y), text.clone()))?;
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
        area.draw(&Text::new(label, (x1 + 8, y), text.clone()))?;
        y += LEGEND_ROW;
    }
    Ok(())
}
