using Microsoft.Playwright;
using RAOrchestrator.Testing;
using static Microsoft.Playwright.Assertions;

namespace RAOrchestrator.Web.Tests.Infrastructure;

/// <summary>The Graph emulator's Entra sign-in page, filled in as a person does: by its labels and buttons.</summary>
public static class EmulatorSignIn
{
    /// <summary>
    /// Signs in on the sign-in page the browser shows now and accepts (when the app asks for consent, without consenting
    /// for the whole organization unless <paramref name="consentForOrganization"/>); the browser then goes back to the app.
    /// </summary>
    public static async Task SignInAsync(IPage page, string username, string password = TestEmulator.SignInPassword, bool consentForOrganization = false)
    {
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in", Exact = true })).ToBeVisibleAsync();
        await page.GetByLabel("Email, phone, or Skype").FillAsync(username);
        await page.GetByLabel("Password").FillAsync(password);
        if (consentForOrganization)
        {
            await page.GetByLabel("Consent on behalf of your organization").CheckAsync();
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Accept", Exact = true })
            .Or(page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }))
            .ClickAsync();
    }
}
