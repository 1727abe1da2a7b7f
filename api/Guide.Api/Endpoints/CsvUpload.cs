namespace Guide.Api.Endpoints;

/// <summary>
/// An uploaded CSV (the guides' import, a care plan's member list): a text/csv body or a multipart field 'file', read whole
/// and bounded before the command runs, so the parser never waits on the network inside a transaction and a retry reads the
/// same bytes. A body without Content-Length is cut off just past the limit, not buffered to its end; an unreadable
/// multipart body is a 400, a file over the limit a 413.
/// </summary>
internal static class CsvUpload
{
    public static async Task<byte[]> ReadAsync(HttpRequest http, long maxBytes, CancellationToken ct)
    {
        var tooLarge = () => new BadHttpRequestException($"The file is larger than {maxBytes / (1024 * 1024)} MB.", StatusCodes.Status413PayloadTooLarge);
        // A multipart body carries its boundaries and headers besides the file.
        if (http.ContentLength > maxBytes + (http.HasFormContentType ? 64 * 1024 : 0)) throw tooLarge();
        var body = http.Body;
        if (http.HasFormContentType)
        {
            IFormCollection form;
            try
            {
                form = await http.ReadFormAsync(ct);
            }
            catch (Exception e) when (e is InvalidDataException or IOException && !ct.IsCancellationRequested)
            {
                // No boundary, a boundary over 70 characters, a section without Content-Disposition, a body that ends early.
                throw new BadHttpRequestException("The multipart body could not be read: " + e.Message);
            }
            var file = form.Files.GetFile("file") ?? form.Files.FirstOrDefault()
                ?? throw new BadHttpRequestException("Send the CSV as the multipart field 'file'.");
            if (file.Length > maxBytes) throw tooLarge();
            body = file.OpenReadStream();
        }
        try
        {
            var buffer = new MemoryStream();
            var chunk = new byte[81_920];
            int read;
            while ((read = await body.ReadAsync(chunk, ct)) > 0)
            {
                buffer.Write(chunk, 0, read);
                if (buffer.Length > maxBytes) throw tooLarge();
            }
            return buffer.ToArray();
        }
        finally
        {
            if (body != http.Body) await body.DisposeAsync();
        }
    }
}
