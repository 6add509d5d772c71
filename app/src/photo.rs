//! A photo of a material, made small enough to send on a weak network:
//! decoded with its EXIF orientation applied (`createImageBitmap` with
//! `imageOrientation: "from-image"`), scaled to at most 2048 px on its long
//! side, and re-encoded as JPEG (`OffscreenCanvas.convertToBlob`) at falling
//! quality, then smaller, until it is at most 1 MB. All in the browser's own
//! codecs through web-sys: an image crate would double the app's size.
//! PDFs are kept as they are.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, ImageBitmap, ImageBitmapOptions, ImageEncodeOptions, ImageOrientation};

/// The most a page may weigh once compressed.
pub const MAX_BYTES: f64 = 1_000_000.0;
/// A phone photo's long side is scaled down to this.
const LONG_SIDE: f64 = 2048.0;
const QUALITIES: [f64; 5] = [0.85, 0.75, 0.65, 0.55, 0.45];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhotoError {
    /// Not an image the browser can read, and not a PDF.
    Unreadable,
    /// A PDF over the edge's limit.
    TooLarge,
}

async fn bitmap(file: &Blob, size: Option<(u32, u32)>) -> Result<ImageBitmap, JsValue> {
    let opts = ImageBitmapOptions::new();
    opts.set_image_orientation(ImageOrientation::FromImage);
    if let Some((w, h)) = size {
        opts.set_resize_width(w);
        opts.set_resize_height(h);
        opts.set_resize_quality(web_sys::ResizeQuality::High);
    }
    let promise = web_sys::window()
        .ok_or(JsValue::NULL)?
        .create_image_bitmap_with_blob_and_image_bitmap_options(file, &opts)?;
    JsFuture::from(promise).await?.dyn_into()
}

async fn encode(bmp: &ImageBitmap, quality: f64) -> Result<Blob, JsValue> {
    let canvas = web_sys::OffscreenCanvas::new(bmp.width(), bmp.height())?;
    let ctx: web_sys::OffscreenCanvasRenderingContext2d =
        canvas.get_context("2d")?.ok_or(JsValue::NULL)?.dyn_into()?;
    ctx.draw_image_with_image_bitmap(bmp, 0.0, 0.0)?;
    let opts = ImageEncodeOptions::new();
    opts.set_type("image/jpeg");
    opts.set_quality(quality);
    JsFuture::from(canvas.convert_to_blob_with_options(&opts)?)
        .await?
        .dyn_into()
}

/// The page to keep and send for a chosen file.
pub async fn prepare(file: &Blob) -> Result<Blob, PhotoError> {
    if file.type_() == "application/pdf" {
        return if file.size() <= 10_000_000.0 {
            Ok(file.clone())
        } else {
            Err(PhotoError::TooLarge)
        };
    }
    let original = bitmap(file, None)
        .await
        .map_err(|_| PhotoError::Unreadable)?;
    let (w, h) = (f64::from(original.width()), f64::from(original.height()));
    let mut scale = (LONG_SIDE / w.max(h)).min(1.0);
    original.close();
    loop {
        let size = (
            (w * scale).round().max(1.0) as u32,
            (h * scale).round().max(1.0) as u32,
        );
        let bmp = bitmap(file, Some(size))
            .await
            .map_err(|_| PhotoError::Unreadable)?;
        for q in QUALITIES {
            let blob = encode(&bmp, q).await.map_err(|_| PhotoError::Unreadable)?;
            if blob.size() <= MAX_BYTES {
                bmp.close();
                return Ok(blob);
            }
        }
        bmp.close();
        scale *= 0.75;
    }
}

/// A `blob:` URL to preview a page; revoke it when the preview goes.
pub fn preview_url(blob: &Blob) -> Option<String> {
    web_sys::Url::create_object_url_with_blob(blob).ok()
}

pub fn revoke(url: &str) {
    let _ = web_sys::Url::revoke_object_url(url);
}
