from django.contrib.auth import views as auth_views

from .forms import PasswordSignInForm


class SignInView(auth_views.LoginView):
    template_name = "people/signin.html"
    authentication_form = PasswordSignInForm
    redirect_authenticated_user = True


signin = SignInView.as_view()
signout = auth_views.LogoutView.as_view()
