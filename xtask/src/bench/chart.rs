//! The comparison as a picture: one horizontal bar per (side, variant) at one size, on a log
//! time axis (the variants span three orders of magnitude), each bar labelled with its time.

use std::path::Path;

use anyhow::{Result, anyhow, bail};
use plotters::coord::ranged1d::{SegmentValue, SegmentedCoord};
use plotters::coord::types::RangedCoordusize;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::peers::Side;
use super::table::format_ms;

pub struct Bar {
    pub side: Side,
    pub label: String,
    pub seconds: f64,
}

/// Okabe–Ito colours, one per side: told apart by colour-blind readers too, and each label
/// names its side as well.
fn colour(side: Side) -> RGBColor {
    match side {
        Side::Python => RGBColor(230, 159, 0),       // orange
        Side::RustBaseline => RGBColor(0, 158, 115), // bluish green
        Side::RustNative => RGBColor(0, 114, 178),   // blue
    }
}

/// Drawn for the book's column (750 CSS px on a desktop), so that it is shown at its drawn
/// size and its smallest text is 12 px there (the book's check wants at least 11).
pub const WIDTH: u32 = 750;
/// A bar's row: its label on a line of its own (labels are long: the side and the variant),
/// the bar under it.
const ROW_HEIGHT: u32 = 40;
const LABEL_SPACE: u32 = 17;
/// Text sizes in CSS px; plotters writes `size / 1.24` into the SVG, hence [`font`].
const TEXT_PX: f64 = 12.0;
const TITLE_PX: f64 = 15.0;

/// The plotters font size that comes out as `px` CSS px in the SVG.
pub fn font(px: f64) -> f64 {
    px * 1.24
}

/// The chart's coordinates: a log time axis, one segment per bar.
type Coordinates = Cartesian2d<LogCoord<f64>, SegmentedCoord<RangedCoordusize>>;

/// Writes the chart, on an opaque white background (the book has dark themes); the first bar
/// is drawn at the top.
pub fn write_svg(path: &Path, title: &str, bars: &[Bar]) -> Result<()> {
    let count = bars.len();
    if count == 0 {
        bail!("no bars to draw in {}", path.display());
    }
    let (low, high) = time_range(bars);
    let height = 90 + ROW_HEIGHT * count as u32;
    let area = SVGBackend::new(path, (WIDTH, height)).into_drawing_area();
    area.fill(&WHITE).map_err(|e| failed(path, e))?;
    let mut chart = ChartBuilder::on(&area)
        .caption(title, ("sans-serif", font(TITLE_PX)))
        .margin(12)
        .x_label_area_size(44)
        .y_label_area_size(0)
        // Segmenting 0..k gives k + 1 segments, one per bar.
        .build_cartesian_2d((low..high).log_scale(), (0..count - 1).into_segmented())
        .map_err(|e| failed(path, e))?;
    draw_axes(&mut chart).map_err(|e| failed(path, e))?;
    draw_bars(&mut chart, bars, low).map_err(|e| failed(path, e))?;
    area.present().map_err(|e| failed(path, e))?;
    Ok(())
}

fn failed(path: &Path, error: impl std::fmt::Display) -> anyhow::Error {
    anyhow!("drawing {}: {error}", path.display())
}

/// The time axis, in ms: from a whole decade (where the bars start), with room on the right
/// for the labels.
fn time_range(bars: &[Bar]) -> (f64, f64) {
    let ms: Vec<f64> = bars.iter().map(|bar| bar.seconds * 1e3).collect();
    let fastest = ms.iter().copied().fold(f64::INFINITY, f64::min);
    let slowest = ms.iter().copied().fold(0.0, f64::max);
    let low = 10f64.powf((fastest * 0.8).log10().floor());
    (low, slowest * 3.0)
}

/// The segment of bar `i` of `count`: segment 0 is at the bottom, the first bar at the top.
fn row(count: usize, i: usize) -> usize {
    count - 1 - i
}

/// The mesh: decades of ms below, no horizontal lines (the rows are labelled in place).
fn draw_axes<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Coordinates>,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    chart
        .configure_mesh()
        .disable_y_mesh()
        .disable_y_axis()
        .x_desc("time in ms (log scale; shorter is faster)")
        .x_label_formatter(&|ms| decade(*ms))
        .label_style(("sans-serif", font(TEXT_PX)))
        .axis_desc_style(("sans-serif", font(TEXT_PX)))
        .draw()
}

/// Each bar under its label (`side · variant`), coloured by side, followed by its time.
fn draw_bars<'a, DB: DrawingBackend + 'a>(
    chart: &mut ChartContext<'a, DB, Coordinates>,
    bars: &[Bar],
    low: f64,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let count = bars.len();
    let label_font = TextStyle::from(("sans-serif", font(TEXT_PX)).into_font())
        .pos(Pos::new(HPos::Left, VPos::Top));
    let value_font = label_font.pos(Pos::new(HPos::Left, VPos::Center));
    // The bar fills its row below the label, less a gap above the next row's label.
    let bar_height = (ROW_HEIGHT - LABEL_SPACE - 4) as i32;
    for (i, bar) in bars.iter().enumerate() {
        let segment = row(count, i);
        let (top, bottom) = (
            SegmentValue::Exact(segment + 1),
            SegmentValue::Exact(segment),
        );
        let ms = bar.seconds * 1e3;
        let mut rect = Rectangle::new(
            [(low, top.clone()), (ms, bottom.clone())],
            colour(bar.side).filled(),
        );
        rect.set_margin(LABEL_SPACE, 4, 0, 0);
        chart.draw_series([rect])?;
        let label = format!("{} · {}", bar.side.label(), strip_code(&bar.label));
        chart.draw_series([
            EmptyElement::at((low, top)) + Text::new(label, (2, 2), label_font.clone())
        ])?;
        chart.draw_series([EmptyElement::at((ms, bottom))
            + Text::new(
                format!("{} ms", format_ms(bar.seconds)),
                (6, -4 - bar_height / 2),
                value_font.clone(),
            )])?;
    }
    Ok(())
}

/// The axis's ticks are whole decades: `0.1`, `1`, `10`, `1000`.
fn decade(ms: f64) -> String {
    match ms >= 1.0 {
        true => format!("{ms:.0}"),
        false => format!("{}", (ms * 1e6).round() / 1e6),
    }
}

/// Markdown's backticks read badly in a picture.
fn strip_code(label: &str) -> String {
    label.replace('`', "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chart_is_opaque_and_legible_in_the_books_column() {
        let labels = [
            (Side::Python, "NumPy trick `abs(x2 + y2 - 2*x@y.T)`", 0.136),
            (
                Side::Python,
                "numba `@njit(parallel=True)`, prange rows",
                0.447,
            ),
            (
                Side::RustBaseline,
                "trick in the kernel, into a reused output",
                0.098,
            ),
            (
                Side::RustNative,
                "direct kernel, into a reused output",
                0.040,
            ),
        ];
        let bars: Vec<Bar> = labels
            .into_iter()
            .map(|(side, label, seconds)| Bar {
                side,
                label: label.into(),
                seconds,
            })
            .collect();
        let path = tempfile::Builder::new().suffix(".svg").tempfile().unwrap();
        write_svg(
            path.path(),
            "Lab 2: the distance matrix at 5000×5000×50",
            &bars,
        )
        .unwrap();
        let svg = std::fs::read_to_string(path.path()).unwrap();
        let test = "the_chart_is_opaque_and_legible_in_the_books_column";
        let Some(tally) =
            crate::book::browser::tests::figures_in_the_book(test, &[("compare.svg", svg)])
        else {
            return;
        };
        assert!(tally.failures.is_empty(), "{:#?}", tally.failures);
    }
}
