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

/// Okabe–Ito colours: told apart by colour-blind readers too.
fn colour(side: Side) -> RGBColor {
    match side {
        Side::Python => RGBColor(230, 159, 0),
        Side::RustBaseline => RGBColor(86, 180, 233),
        Side::RustNative => RGBColor(0, 114, 178),
    }
}

const WIDTH: u32 = 960;
const ROW_HEIGHT: u32 = 24;
const LABEL_WIDTH: u32 = 330;

/// The chart's coordinates: a log time axis, one segment per bar.
type Coordinates = Cartesian2d<LogCoord<f64>, SegmentedCoord<RangedCoordusize>>;

/// Writes the chart; the first bar is drawn at the top.
pub fn write_svg(path: &Path, title: &str, bars: &[Bar]) -> Result<()> {
    let count = bars.len();
    if count == 0 {
        bail!("no bars to draw in {}", path.display());
    }
    let (low, high) = time_range(bars);
    let height = 110 + ROW_HEIGHT * count as u32;
    let area = SVGBackend::new(path, (WIDTH, height)).into_drawing_area();
    area.fill(&WHITE).map_err(|e| failed(path, e))?;
    let mut chart = ChartBuilder::on(&area)
        .caption(title, ("sans-serif", 17))
        .margin(14)
        .x_label_area_size(38)
        .y_label_area_size(LABEL_WIDTH)
        // Segmenting 0..k gives k + 1 segments, one per bar.
        .build_cartesian_2d((low..high).log_scale(), (0..count - 1).into_segmented())
        .map_err(|e| failed(path, e))?;
    draw_axes(&mut chart, bars).map_err(|e| failed(path, e))?;
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

/// The mesh: each bar's side and label on the left, decades of ms below.
fn draw_axes<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Coordinates>,
    bars: &[Bar],
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let count = bars.len();
    let label_of = |value: &SegmentValue<usize>| match value {
        SegmentValue::CenterOf(segment) if *segment < count => {
            let bar = &bars[row(count, *segment)];
            format!("{} · {}", bar.side.label(), strip_code(&bar.label))
        }
        _ => String::new(),
    };
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(count)
        .y_label_formatter(&label_of)
        .y_label_style(("sans-serif", 13))
        .x_desc("time in ms (log scale; shorter is faster)")
        .x_label_formatter(&|ms| decade(*ms))
        .draw()
}

/// The bars, coloured by side (one legend entry each), each followed by its time.
fn draw_bars<'a, DB: DrawingBackend + 'a>(
    chart: &mut ChartContext<'a, DB, Coordinates>,
    bars: &[Bar],
    low: f64,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let count = bars.len();
    for side in Side::ALL {
        let style = colour(side).filled();
        let bars_of_side = bars.iter().enumerate().filter(|(_, bar)| bar.side == side);
        chart
            .draw_series(bars_of_side.map(|(i, bar)| {
                let segment = row(count, i);
                let mut rect = Rectangle::new(
                    [
                        (low, SegmentValue::Exact(segment)),
                        (bar.seconds * 1e3, SegmentValue::Exact(segment + 1)),
                    ],
                    style,
                );
                rect.set_margin(3, 3, 0, 0);
                rect
            }))?
            .label(side.label())
            .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 14, y + 6)], style));
    }
    let value_font =
        TextStyle::from(("sans-serif", 12).into_font()).pos(Pos::new(HPos::Left, VPos::Center));
    chart.draw_series(bars.iter().enumerate().map(|(i, bar)| {
        Text::new(
            format!("{} ms", format_ms(bar.seconds)),
            (
                bar.seconds * 1e3 * 1.08,
                SegmentValue::CenterOf(row(count, i)),
            ),
            value_font.clone(),
        )
    }))?;
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::LowerRight)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK.mix(0.3))
        .label_font(("sans-serif", 13))
        .draw()
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
